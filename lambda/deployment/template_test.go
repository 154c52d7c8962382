package deployment_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"clockify-discord-relay/lambda/metrics"
)

// node finds a mapping key's value, following a path of keys.
func node(t *testing.T, n *yaml.Node, path ...string) *yaml.Node {
	t.Helper()
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			t.Fatalf("%s: not a mapping", strings.Join(path, "."))
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			t.Fatalf("template has no %s", strings.Join(path, "."))
		}
		n = next
	}
	return n
}

func loadTemplate(t *testing.T) *yaml.Node {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	return &doc
}

func scalar(t *testing.T, n *yaml.Node, want string) {
	t.Helper()
	if n.Kind != yaml.ScalarNode || n.Value != want {
		t.Errorf("line %d: %q, want %q", n.Line, n.Value, want)
	}
}

func TestTemplateFunction(t *testing.T) {
	doc := loadTemplate(t)
	scalar(t, node(t, doc, "Transform"), "AWS::Serverless-2016-10-31")
	fn := node(t, doc, "Resources", "RelayFunction")
	scalar(t, node(t, fn, "Type"), "AWS::Serverless::Function")
	scalar(t, node(t, fn, "Metadata", "BuildMethod"), "makefile")
	props := node(t, fn, "Properties")
	scalar(t, node(t, props, "Runtime"), "provided.al2023")
	scalar(t, node(t, props, "Handler"), "bootstrap")
	scalar(t, node(t, props, "CodeUri"), ".")
	arch := node(t, props, "Architectures")
	if len(arch.Content) != 1 || arch.Content[0].Value != "arm64" {
		t.Errorf("Architectures = %v, want [arm64]", arch.Content)
	}
	scalar(t, node(t, props, "Timeout"), "28")

	ev := node(t, props, "Events", "Clockify")
	scalar(t, node(t, ev, "Type"), "Api")
	if api := node(t, ev, "Properties", "RestApiId"); api.Tag != "!Ref" || api.Value != "RelayApi" {
		t.Errorf("the event is not on RelayApi: %s %s", api.Tag, api.Value)
	}
	scalar(t, node(t, ev, "Properties", "Path"), "/clockify")
	scalar(t, node(t, ev, "Properties", "Method"), "POST")

	// The Makefile has the target sam build calls.
	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`(?m)^build-RelayFunction:\n\t(.*)$`).FindSubmatch(mk)
	if target == nil {
		t.Fatal("Makefile has no build-RelayFunction target")
	}
	for _, flag := range []string{"$(LAMBDA_BUILD)", "$(ARTIFACTS_DIR)/bootstrap", "./lambda"} {
		if !strings.Contains(string(target[1]), flag) {
			t.Errorf("build-RelayFunction does not use %s", flag)
		}
	}
	for _, flag := range []string{"CGO_ENABLED=0", "GOARCH=$(LAMBDA_GOARCH)", "LAMBDA_TAGS = " + lambdaTags, "-tags $(LAMBDA_TAGS)", "-trimpath", `-ldflags "-s -w"`} {
		if !strings.Contains(string(mk), flag) {
			t.Errorf("the Lambda build lacks %s", flag)
		}
	}
	if !regexp.MustCompile(`(?m)^LAMBDA_GOARCH \?= arm64$`).Match(mk) {
		t.Error("the Lambda build is not for arm64, as the template's Architectures says")
	}
}

// parameterEnvironment maps each SSM parameter's template parameter to the
// environment variable that carries its name.
var parameterEnvironment = map[string]string{
	"DiscordWebhookUrlParameterName":      "DISCORD_WEBHOOK_URL_PARAMETER",
	"ClockifySigningSecretsParameterName": "CLOCKIFY_SIGNING_SECRETS_PARAMETER",
	"RoutesParameterName":                 "ROUTES_PARAMETER",
}

func TestTemplateEnvironmentNamesParameters(t *testing.T) {
	doc := loadTemplate(t)
	vars := node(t, doc, "Resources", "RelayFunction", "Properties", "Environment", "Variables")
	for param, env := range parameterEnvironment {
		v := node(t, vars, env)
		if v.Tag != "!Ref" || v.Value != param {
			t.Errorf("%s = %s %s, want !Ref %s", env, v.Tag, v.Value, param)
		}
		node(t, doc, "Parameters", param) // declared
	}
	for _, env := range []string{"DISCORD_WEBHOOK_URL", "CLOCKIFY_SIGNING_SECRETS", "ROUTES"} {
		for i := 0; i+1 < len(vars.Content); i += 2 {
			if vars.Content[i].Value == env {
				t.Errorf("the template sets the secret %s itself", env)
			}
		}
	}
}

// TestTemplatePolicyIsExactlyTheParameters: the function may call
// ssm:GetParameters on its parameters, and nothing else.
func TestTemplatePolicyIsExactlyTheParameters(t *testing.T) {
	doc := loadTemplate(t)
	policies := node(t, doc, "Resources", "RelayFunction", "Properties", "Policies")
	if len(policies.Content) != 1 {
		t.Fatalf("%d policies, want 1", len(policies.Content))
	}
	statements := node(t, policies.Content[0], "Statement")
	if len(statements.Content) != 1 {
		t.Fatalf("%d statements, want 1", len(statements.Content))
	}
	st := statements.Content[0]
	scalar(t, node(t, st, "Effect"), "Allow")
	scalar(t, node(t, st, "Action"), "ssm:GetParameters")

	arn := regexp.MustCompile(`^arn:\$\{AWS::Partition\}:ssm:\$\{AWS::Region\}:\$\{AWS::AccountId\}:parameter\$\{(\w+)\}$`)
	var granted []string
	for _, r := range node(t, st, "Resource").Content {
		if r.Tag == "!If" { // the optional routes parameter
			if len(r.Content) != 3 || r.Content[0].Value != "HasRoutes" || r.Content[2].Tag != "!Ref" || r.Content[2].Value != "AWS::NoValue" {
				t.Errorf("line %d: unexpected !If", r.Line)
				continue
			}
			r = r.Content[1]
		}
		m := arn.FindStringSubmatch(r.Value)
		if r.Tag != "!Sub" || m == nil {
			t.Errorf("line %d: resource %s %q is not one parameter's ARN", r.Line, r.Tag, r.Value)
			continue
		}
		granted = append(granted, m[1])
	}
	sort.Strings(granted)
	want := []string{"ClockifySigningSecretsParameterName", "DiscordWebhookUrlParameterName", "RoutesParameterName"}
	if strings.Join(granted, ",") != strings.Join(want, ",") {
		t.Errorf("read access to %v, want exactly %v", granted, want)
	}
	// Names must start with a slash, or the ARNs above would be wrong.
	for _, p := range want {
		pattern := node(t, doc, "Parameters", p, "AllowedPattern").Value
		if !strings.HasPrefix(pattern, "^/") && !strings.HasPrefix(pattern, "^(/") {
			t.Errorf("%s allows names without a leading slash: %s", p, pattern)
		}
	}
	if c := node(t, doc, "Conditions", "HasRoutes"); c.Tag != "!Not" {
		t.Errorf("HasRoutes is %s, want !Not [!Equals [!Ref RoutesParameterName, \"\"]]", c.Tag)
	}
}

func TestTemplateLogsAndOutput(t *testing.T) {
	doc := loadTemplate(t)
	logs := node(t, doc, "Resources", "RelayLogGroup")
	scalar(t, node(t, logs, "Type"), "AWS::Logs::LogGroup")
	if r := node(t, logs, "Properties", "RetentionInDays"); r.Value == "" {
		t.Error("the log group keeps logs forever")
	}
	lg := node(t, doc, "Resources", "RelayFunction", "Properties", "LoggingConfig", "LogGroup")
	if lg.Tag != "!Ref" || lg.Value != "RelayLogGroup" {
		t.Errorf("the function logs to %s %s, not RelayLogGroup", lg.Tag, lg.Value)
	}
	out := node(t, doc, "Outputs", "ClockifyWebhookUrl", "Value")
	if out.Tag != "!Sub" || out.Value != "https://${RelayApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/clockify" {
		t.Errorf("ClockifyWebhookUrl = %s %s", out.Tag, out.Value)
	}
}

func TestTemplateThrottlingAndTracing(t *testing.T) {
	doc := loadTemplate(t)
	api := node(t, doc, "Resources", "RelayApi")
	scalar(t, node(t, api, "Type"), "AWS::Serverless::Api")
	scalar(t, node(t, api, "Properties", "StageName"), "Prod")
	settings := node(t, api, "Properties", "MethodSettings")
	if len(settings.Content) != 1 {
		t.Fatalf("%d method settings", len(settings.Content))
	}
	ms := settings.Content[0]
	scalar(t, node(t, ms, "ResourcePath"), "/*")
	scalar(t, node(t, ms, "HttpMethod"), "*")
	for key, param := range map[string]string{"ThrottlingRateLimit": "ApiThrottlingRateLimit", "ThrottlingBurstLimit": "ApiThrottlingBurstLimit"} {
		if v := node(t, ms, key); v.Tag != "!Ref" || v.Value != param {
			t.Errorf("%s = %s %s", key, v.Tag, v.Value)
		}
		if d := node(t, doc, "Parameters", param, "Default"); d.Value == "" {
			t.Errorf("%s has no default", param)
		}
	}
	if tr := node(t, doc, "Resources", "RelayFunction", "Properties", "Tracing"); tr.Tag != "!If" || tr.Content[0].Value != "UseTracing" {
		t.Errorf("function tracing is not optional: %s", tr.Tag)
	}
	if tr := node(t, api, "Properties", "TracingEnabled"); tr.Tag != "!If" || tr.Content[0].Value != "UseTracing" {
		t.Errorf("API tracing is not optional: %s", tr.Tag)
	}
}

// TestTemplateAlarms: each alarm watches what the relay reports and tells
// the optional topic and e-mail address.
func TestTemplateAlarms(t *testing.T) {
	doc := loadTemplate(t)
	env := node(t, doc, "Resources", "RelayFunction", "Properties", "Environment", "Variables", "METRICS_NAMESPACE")
	alarms := map[string][2]string{ // namespace, metric
		"FailedDeliveriesAlarm": {env.Value, metrics.Requests},
		"RejectedRequestsAlarm": {env.Value, metrics.Requests},
		"FunctionErrorsAlarm":   {"AWS/Lambda", "Errors"},
	}
	for name, want := range alarms {
		a := node(t, doc, "Resources", name)
		scalar(t, node(t, a, "Type"), "AWS::CloudWatch::Alarm")
		scalar(t, node(t, a, "Properties", "Namespace"), want[0])
		scalar(t, node(t, a, "Properties", "MetricName"), want[1])
		scalar(t, node(t, a, "Properties", "TreatMissingData"), "notBreaching")
		actions := node(t, a, "Properties", "AlarmActions").Content
		if len(actions) != 2 || actions[0].Content[0].Value != "HasAlarmTopicArn" || actions[1].Content[0].Value != "HasAlarmEmail" {
			t.Errorf("%s does not notify the optional topic and e-mail", name)
		}
	}
	outcome := func(alarm string) string {
		return node(t, node(t, doc, "Resources", alarm, "Properties", "Dimensions").Content[0], "Value").Value
	}
	if outcome("FailedDeliveriesAlarm") != "failed" || outcome("RejectedRequestsAlarm") != "rejected" {
		t.Error("the alarms do not watch the failed and rejected outcomes")
	}
	scalar(t, node(t, doc, "Resources", "AlarmEmailTopic", "Condition"), "HasAlarmEmail")
}
