package deployment_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readSamconfig reads samconfig.toml's key = value lines by table. The file
// uses only strings, booleans and numbers, so this is all of TOML it needs.
func readSamconfig(t *testing.T) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "samconfig.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables := map[string]map[string]string{"": {}}
	table := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			table = strings.Trim(line, "[]")
			tables[table] = map[string]string{}
		default:
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("samconfig.toml:%d: %q is not key = value", n, line)
			}
			value = strings.TrimSpace(value)
			if unq, err := strconv.Unquote(value); err == nil {
				value = unq
			}
			tables[table][strings.TrimSpace(key)] = value
		}
	}
	return tables
}

func TestSamconfig(t *testing.T) {
	cfg := readSamconfig(t)
	deploy := cfg["default.deploy.parameters"]
	if deploy == nil {
		t.Fatal("no [default.deploy.parameters]")
	}
	if cfg["default.global.parameters"]["stack_name"] == "" {
		t.Error("no stack_name")
	}
	if deploy["resolve_s3"] != "true" || !strings.Contains(deploy["capabilities"], "CAPABILITY_IAM") {
		t.Errorf("deploy parameters = %v", deploy)
	}
	// parameter_overrides carries names and choices, never secret values.
	allowed := map[string]*regexp.Regexp{
		"DiscordWebhookUrlParameterName":      regexp.MustCompile(`^/[A-Za-z0-9_./-]+$`),
		"ClockifySigningSecretsParameterName": regexp.MustCompile(`^/[A-Za-z0-9_./-]+$`),
		"RoutesParameterName":                 regexp.MustCompile(`^(/[A-Za-z0-9_./-]+)?$`),
		"MessageLanguage":                     regexp.MustCompile(`^(ja|en)$`),
		"MessageStyle":                        regexp.MustCompile(`^(embed|text)$`),
		"LogRetentionInDays":                  regexp.MustCompile(`^\d+$`),
	}
	for _, kv := range strings.Fields(deploy["parameter_overrides"]) {
		key, value, _ := strings.Cut(kv, "=")
		re, ok := allowed[key]
		if !ok {
			t.Errorf("parameter_overrides sets %s, which is not a known name-only parameter", key)
			continue
		}
		if !re.MatchString(strings.Trim(value, `"`)) {
			t.Errorf("parameter_overrides %s=%q is not a name", key, value)
		}
	}
}

// TestNoSecretInTheRepository looks for the shapes secrets take: webhook
// URLs with a token, and AWS keys.
func TestNoSecretInTheRepository(t *testing.T) {
	webhook := regexp.MustCompile(`discord(app)?\.com/api/(v\d+/)?webhooks/\d+/[A-Za-z0-9_-]{20,}`)
	awsKey := regexp.MustCompile(`AKIA[0-9A-Z]{16}`)
	for _, name := range []string{"template.yaml", "samconfig.toml", "README.md", "Makefile"} {
		raw, err := os.ReadFile(filepath.Join(repoRoot, name))
		if err != nil {
			t.Fatal(err)
		}
		if m := webhook.Find(raw); m != nil {
			t.Errorf("%s holds a Discord webhook URL with a token", name)
		}
		if awsKey.Match(raw) {
			t.Errorf("%s holds an AWS access key", name)
		}
	}
}
