package discord

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// apiVersion is the API version the client speaks. An unversioned URL, as
// Discord's UI gives them, reaches v6, where retry_after was in
// milliseconds; v10 fixes the units to seconds.
const apiVersion = "v10"

var (
	errInvalidURL = errors.New("discord: the webhook URL is not a valid URL") // the parse error would echo it
	errNotWebhook = errors.New("discord: the webhook URL has no /webhooks/{id}/{token} path")
	versioned     = regexp.MustCompile(`/api/v\d+/webhooks/`)
)

// CheckWebhookURL refuses what cannot be a webhook to post to: not a
// /webhooks/{id}/{token} URL, a placeholder such as the README's
// ("https://discord.com/api/webhooks/…"), or plain http to anything but
// this machine (tests' stand-ins): the token must not cross the network in
// the clear. Its errors never echo the URL.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errInvalidURL
	}
	if strings.ContainsAny(raw, "…<>") || strings.Contains(raw, "...") {
		return errors.New("discord: the webhook URL is a placeholder: paste the URL Discord gives (Edit Channel > Integrations > Webhooks > Copy Webhook URL)")
	}
	if u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())) {
		return errors.New("discord: the webhook URL must be https")
	}
	if indexAfterWebhookID(u.Path) < 0 {
		return errNotWebhook
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// normalizeWebhookURL checks the URL and pins the API version.
func normalizeWebhookURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errInvalidURL
	}
	if indexAfterWebhookID(u.Path) < 0 {
		return "", errNotWebhook
	}
	if !versioned.MatchString(u.Path) {
		u.Path = strings.Replace(u.Path, "/api/webhooks/", "/api/"+apiVersion+"/webhooks/", 1)
	}
	return u.String(), nil
}

// withSuffix adds a path after the token (/messages/{id}) and ?wait=true.
func withSuffix(target, suffix string, wait bool) string {
	u, err := url.Parse(target)
	if err != nil {
		return target
	}
	u.Path += suffix
	if wait {
		q := u.Query()
		q.Set("wait", "true")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// isSnowflake reports whether s is a Discord id: decimal digits.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// bucketKey names a webhook's rate-limit bucket: Discord keys webhooks by
// id and token, never by query.
func bucketKey(target string) string {
	if i := strings.IndexByte(target, '?'); i >= 0 {
		return target[:i]
	}
	return target
}

// RedactURL hides everything in a webhook URL after its id, so it can be
// logged: https://discord.com/api/webhooks/123/REDACTED.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[invalid URL]"
	}
	redacted := u.Scheme + "://" + u.Host
	if i := indexAfterWebhookID(u.Path); i >= 0 {
		return redacted + u.Path[:i] + "/REDACTED"
	}
	return redacted + "/REDACTED"
}

// indexAfterWebhookID returns where the token starts in a webhook path
// (/api[/vN]/webhooks/{id}/{token}), or -1.
func indexAfterWebhookID(path string) int {
	const marker = "/webhooks/"
	i := strings.Index(path, marker)
	if i < 0 {
		return -1
	}
	rest := path[i+len(marker):]
	j := strings.IndexByte(rest, '/')
	if j <= 0 || j == len(rest)-1 {
		return -1
	}
	return i + len(marker) + j
}

// redactError removes the webhook URL, which holds the token, from transport
// errors: *url.Error prints the whole URL.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: RedactURL(ue.URL), Err: ue.Err}
	}
	return err
}
