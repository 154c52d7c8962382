package deployment_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readSamconfig reads a samconfig.toml's key = value lines by table. The
// file uses only strings, booleans, numbers and empty lists, so this is all
// of TOML it needs.
func readSamconfig(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(path)
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

// samconfigParameters are the template parameters samconfig.toml may
// set, with what their values may be: names and choices, never a secret.
var samconfigParameters = map[string]*regexp.Regexp{
	"DiscordWebhookUrlParameterName":      regexp.MustCompile(`^/[A-Za-z0-9_./-]+$`),
	"ClockifySigningSecretsParameterName": regexp.MustCompile(`^/[A-Za-z0-9_./-]+$`),
	"RoutesParameterName":                 regexp.MustCompile(`^(/[A-Za-z0-9_./-]+)?$`),
	"RouteWebhooksParameterName":          regexp.MustCompile(`^(/[A-Za-z0-9_./-]+)?$`),
	"DiscordPublicKeyParameterName":       regexp.MustCompile(`^(/[A-Za-z0-9_./-]+)?$`),
	"MessageLanguage":                     regexp.MustCompile(`^(ja|en)$`),
	"Metrics":                             regexp.MustCompile(`^(off|basic|detailed)$`),
	"MessageStyle":                        regexp.MustCompile(`^(embed|text)$`),
	"LogRetentionInDays":                  regexp.MustCompile(`^\d+$`),
	"AlarmEmail":                          regexp.MustCompile(`^([^@\s/:]+@[^@\s/:]+)?$`),
	"AlarmTopicArn":                       regexp.MustCompile(`^(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+)?$`),
	"ApiThrottlingRateLimit":              regexp.MustCompile(`^\d+(\.\d+)?$`),
	"ApiThrottlingBurstLimit":             regexp.MustCompile(`^\d+$`),
	"EnableTracing":                       regexp.MustCompile(`^(true|false)$`),
	"LongTimerHours":                      regexp.MustCompile(`^\d+(\.\d+)?$`),
	"Digest":                              regexp.MustCompile(`^(daily|weekly|off)$`),
	"DigestTime":                          regexp.MustCompile(`^\d\d:\d\d$`),
	"TimeZone":                            regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+/-]*$`),
}

// samconfigProblems says what is wrong with a samconfig.toml.
func samconfigProblems(cfg map[string]map[string]string) []string {
	var problems []string
	deploy := cfg["default.deploy.parameters"]
	if deploy == nil {
		return []string{"no [default.deploy.parameters]"}
	}
	if cfg["default.global.parameters"]["stack_name"] == "" && deploy["stack_name"] == "" {
		problems = append(problems, "no stack_name")
	}
	if deploy["resolve_s3"] != "true" || !strings.Contains(deploy["capabilities"], "CAPABILITY_IAM") {
		problems = append(problems, fmt.Sprintf("deploy parameters = %v", deploy))
	}
	// parameter_overrides carries names and choices, never secret values.
	// A guided deploy writes Key="value" for every parameter.
	for _, kv := range strings.Fields(deploy["parameter_overrides"]) {
		key, value, _ := strings.Cut(kv, "=")
		re, ok := samconfigParameters[key]
		if !ok {
			problems = append(problems, fmt.Sprintf("parameter_overrides sets %s, which is not a known name-only parameter", key))
			continue
		}
		if !re.MatchString(strings.Trim(value, `"`)) {
			problems = append(problems, fmt.Sprintf("parameter_overrides %s=%s is not a name or a choice", key, value))
		}
	}
	return problems
}

func TestSamconfig(t *testing.T) {
	for _, p := range samconfigProblems(readSamconfig(t, filepath.Join(repoRoot, "samconfig.toml"))) {
		t.Error(p)
	}
}

// TestSamconfigAsAGuidedDeploySavesIt: sam deploy --guided rewrites
// samconfig.toml with every parameter and the region; that passes, and a
// secret in it does not.
func TestSamconfigAsAGuidedDeploySavesIt(t *testing.T) {
	guided := readSamconfig(t, filepath.Join("testdata", "samconfig-guided.toml"))
	if p := samconfigProblems(guided); len(p) > 0 {
		t.Errorf("a guided deploy's samconfig.toml is refused: %v", p)
	}
	deploy := guided["default.deploy.parameters"]
	for _, secret := range []string{
		`DiscordWebhookUrlParameterName="https://discord.com/api/webhooks/123/token-abcdefghijklmnopqrstuvwxyz"`,
		`AlarmTopicArn="https://hooks.example/secret-token"`,
		`ClockifySigningSecretsParameterName="the-signing-secret-itself"`,
		`DISCORD_WEBHOOK_URL="https://discord.com/api/webhooks/123/token"`,
	} {
		deploy["parameter_overrides"] = secret
		if p := samconfigProblems(guided); len(p) == 0 {
			t.Errorf("%s passed", secret)
		}
	}
}

// TestSamconfigKnowsEveryParameter: each template parameter has its rule
// here, so a new one cannot slip a secret into samconfig.toml unchecked.
func TestSamconfigKnowsEveryParameter(t *testing.T) {
	params := node(t, loadTemplate(t), "Parameters")
	for i := 0; i < len(params.Content); i += 2 {
		if _, ok := samconfigParameters[params.Content[i].Value]; !ok {
			t.Errorf("template parameter %s has no rule for samconfig.toml", params.Content[i].Value)
		}
	}
}

// TestNoSecretInTheRepository looks for the shapes secrets take: webhook
// URLs with a token, and AWS keys.
func TestNoSecretInTheRepository(t *testing.T) {
	webhook := regexp.MustCompile(`discord(app)?\.com/api/(v\d+/)?webhooks/\d+/[A-Za-z0-9_-]{20,}`)
	awsKey := regexp.MustCompile(`AKIA[0-9A-Z]{16}`)
	for _, name := range []string{"template.yaml", "samconfig.toml", "README.md", "Makefile", "docs/deploy.md", "docs/operations.md"} {
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
