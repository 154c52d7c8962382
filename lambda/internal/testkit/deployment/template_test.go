package deployment_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"clockify-discord-relay/lambda/internal/testkit/throttle"
	"clockify-discord-relay/lambda/invocation"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule"
	"clockify-discord-relay/lambda/store/dynamodb"
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
	"ClockifySigningSecretsParameterName": "CLOCKIFY_SIGNING_SECRETS_PARAMETER",
	"RoutesParameterName":                 "ROUTES_PARAMETER",
	"DiscordPublicKeyParameterName":       "DISCORD_PUBLIC_KEY_PARAMETER",
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
	// The API function holds no webhook URL: accepting needs none, and
	// the interactions read their channels from the state.
	for _, env := range []string{"DISCORD_WEBHOOK_URL_PARAMETER", "ROUTE_WEBHOOKS_PARAMETER"} {
		for i := 0; i+1 < len(vars.Content); i += 2 {
			if vars.Content[i].Value == env {
				t.Errorf("the API function is given %s", env)
			}
		}
	}
	// The secrets themselves are declared empty, for sam local invoke
	// --env-vars, and never given a value.
	for _, fn := range []string{"RelayFunction", "DeliveryFunction"} {
		vars := node(t, doc, "Resources", fn, "Properties", "Environment", "Variables")
		for i := 0; i+1 < len(vars.Content); i += 2 {
			switch vars.Content[i].Value {
			case "DISCORD_WEBHOOK_URL", "CLOCKIFY_SIGNING_SECRETS", "ROUTES":
				if v := vars.Content[i+1]; v.Value != "" || v.Tag != "!!str" {
					t.Errorf("%s sets the secret %s itself", fn, vars.Content[i].Value)
				}
			}
		}
	}
	// events/env.json overrides only variables the template declares, for
	// functions it has: anything else sam local would ignore in silence.
	raw, err := os.ReadFile(filepath.Join(repoRoot, "events", "env.json"))
	if err != nil {
		t.Fatal(err)
	}
	var envFile map[string]map[string]string
	if err := json.Unmarshal(raw, &envFile); err != nil {
		t.Fatal(err)
	}
	for fn, overrides := range envFile {
		declared := node(t, doc, "Resources", fn, "Properties", "Environment", "Variables")
		for name := range overrides {
			found := false
			for i := 0; i+1 < len(declared.Content); i += 2 {
				found = found || declared.Content[i].Value == name
			}
			if !found {
				t.Errorf("events/env.json sets %s.%s, which the template does not declare", fn, name)
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
	if len(statements.Content) != 4 {
		t.Fatalf("%d statements, want 4", len(statements.Content))
	}
	// It may put deliveries on the queue, and nothing more with SQS.
	enqueue := statements.Content[0]
	scalar(t, node(t, enqueue, "Effect"), "Allow")
	scalar(t, node(t, enqueue, "Action"), "sqs:SendMessage")
	if r := node(t, enqueue, "Resource"); r.Tag != "!GetAtt" || r.Value != "DeliveryQueue.Arn" {
		t.Errorf("SendMessage on %s %s, want the delivery queue", r.Tag, r.Value)
	}
	// It may read and write dedupe keys in the state table, nothing more.
	keys := statements.Content[1]
	if a := node(t, keys, "Action").Content; len(a) != 2 || a[0].Value != "dynamodb:GetItem" || a[1].Value != "dynamodb:PutItem" {
		t.Errorf("the API function's table actions: %v", a)
	}
	if r := node(t, keys, "Resource"); r.Tag != "!GetAtt" || r.Value != "StateTable.Arn" {
		t.Errorf("table access on %s %s", r.Tag, r.Value)
	}
	// ... and only the items whose key begins as the dedupe keys' do.
	leading := node(t, keys, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys").Content
	if len(leading) != 1 || leading[0].Value != dynamodb.DedupPrefix+"*" {
		t.Errorf("the API function's table access is not limited to %s*: %v", dynamodb.DedupPrefix, leading)
	}
	st := statements.Content[2]
	scalar(t, node(t, st, "Effect"), "Allow")
	scalar(t, node(t, st, "Action"), "ssm:GetParameters")

	granted := parameterARNs(t, st)
	// No webhook URL, the default or the routes': the API function faces
	// the internet. The interactions read the public key when they are on.
	want := []string{"ClockifySigningSecretsParameterName", "DiscordPublicKeyParameterName", "RoutesParameterName"}
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
	// With interactions, it may query a destination's partition (32 hex
	// digits: not the DEDUP# or SEND# items), and do nothing else there.
	ask := statements.Content[3]
	if ask.Tag != "!If" || len(ask.Content) != 3 || ask.Content[0].Value != "HasInteractions" || ask.Content[2].Value != "AWS::NoValue" {
		t.Fatalf("the interactions' statement is not !If [HasInteractions, …, !Ref AWS::NoValue]")
	}
	scalar(t, node(t, ask.Content[1], "Action"), "dynamodb:Query")
	if r := node(t, ask.Content[1], "Resource"); r.Tag != "!GetAtt" || r.Value != "StateTable.Arn" {
		t.Errorf("Query on %s %s", r.Tag, r.Value)
	}
	leading = node(t, ask.Content[1], "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys").Content
	if len(leading) != 1 || leading[0].Value != strings.Repeat("?", len(queue.Destination(""))) {
		t.Errorf("the interactions may query %v", leading)
	}
}

// parameterARNs lists the template parameters whose SSM parameter a
// statement grants, sorted.
func parameterARNs(t *testing.T, st *yaml.Node) []string {
	t.Helper()
	arn := regexp.MustCompile(`^arn:\$\{AWS::Partition\}:ssm:\$\{AWS::Region\}:\$\{AWS::AccountId\}:parameter\$\{(\w+)\}$`)
	var granted []string
	for _, r := range node(t, st, "Resource").Content {
		if r.Tag == "!If" { // the optional routes and interactions parameters
			if len(r.Content) != 3 || (r.Content[0].Value != "HasRoutes" && r.Content[0].Value != "HasRouteWebhooks" && r.Content[0].Value != "HasInteractions") || r.Content[2].Tag != "!Ref" || r.Content[2].Value != "AWS::NoValue" {
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
	return granted
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
	// The defaults carry the rush the relay promises: 300 webhooks in 10 s.
	rate, _ := strconv.ParseFloat(node(t, doc, "Parameters", "ApiThrottlingRateLimit", "Default").Value, 64)
	burst, _ := strconv.ParseFloat(node(t, doc, "Parameters", "ApiThrottlingBurstLimit", "Default").Value, 64)
	if n := throttle.Refused(rate, burst, 300, 10*time.Second); n != 0 {
		t.Errorf("the default throttle (%g a second, %g at once) refuses %d of a rush of 300 in 10 s", rate, burst, n)
	}
	if n := throttle.Refused(rate, burst, 300, 0); n != 0 {
		t.Errorf("the default burst refuses %d of 300 at once", n)
	}
	// The API alarms watch this API, by the name it is given.
	if name := node(t, api, "Properties", "Name"); name.Tag != "!Ref" || name.Value != "AWS::StackName" {
		t.Errorf("RelayApi's Name is %s %s, not the stack's (the alarms' ApiName)", name.Tag, name.Value)
	}
	if tr := node(t, doc, "Resources", "RelayFunction", "Properties", "Tracing"); tr.Tag != "!If" || tr.Content[0].Value != "UseTracing" {
		t.Errorf("function tracing is not optional: %s", tr.Tag)
	}
	if tr := node(t, api, "Properties", "TracingEnabled"); tr.Tag != "!If" || tr.Content[0].Value != "UseTracing" {
		t.Errorf("API tracing is not optional: %s", tr.Tag)
	}
}

// TestTemplateAlarms: each alarm watches a metric AWS publishes (no
// custom metric costs a month's fee to alarm on), and tells the optional
// topic and e-mail address. The relay's refusals (401, the old
// RejectedRequestsAlarm's) and failures (5XX, FailedDeliveriesAlarm's)
// are API Gateway's 4XX and 5XX.
func TestTemplateAlarms(t *testing.T) {
	doc := loadTemplate(t)
	alarms := map[string][2]string{ // namespace, metric
		"FunctionErrorsAlarm": {"AWS/Lambda", "Errors"},
		"DeliveryErrorsAlarm": {"AWS/Lambda", "Errors"},
		"DeadLettersAlarm":    {"AWS/SQS", "ApproximateNumberOfMessagesVisible"},
		"QueueAgeAlarm":       {"AWS/SQS", "ApproximateAgeOfOldestMessage"},
		"ApiRefusedAlarm":     {"AWS/ApiGateway", "4XXError"},
		"ApiErrorsAlarm":      {"AWS/ApiGateway", "5XXError"},
	}
	res := node(t, doc, "Resources")
	for i := 0; i+1 < len(res.Content); i += 2 {
		name := res.Content[i].Value
		if node(t, res.Content[i+1], "Type").Value == "AWS::CloudWatch::Alarm" {
			if _, ok := alarms[name]; !ok {
				t.Errorf("alarm %s is not one of the listed ones", name)
			}
		}
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
	// As sensitive as the alarm on the relay's own refusals was: 5.
	scalar(t, node(t, doc, "Resources", "ApiRefusedAlarm", "Properties", "Threshold"), "5")
	for _, fn := range []string{"RelayFunction", "DeliveryFunction"} {
		if v := node(t, doc, "Resources", fn, "Properties", "Environment", "Variables", "METRICS"); v.Tag != "!Ref" || v.Value != "Metrics" {
			t.Errorf("%s METRICS = %s %s, want !Ref Metrics", fn, v.Tag, v.Value)
		}
	}
	scalar(t, node(t, doc, "Parameters", "Metrics", "Default"), "off")
	scalar(t, node(t, doc, "Resources", "AlarmEmailTopic", "Condition"), "HasAlarmEmail")
}

// TestTemplateQueue: the FIFO queue, its dead-letter queue, and the
// delivery function Lambda's SQS trigger calls, with least privilege.
func TestTemplateQueue(t *testing.T) {
	doc := loadTemplate(t)
	res := node(t, doc, "Resources")
	q, dlq := node(t, res, "DeliveryQueue"), node(t, res, "DeadLetterQueue")
	for _, queue := range []*yaml.Node{q, dlq} {
		scalar(t, node(t, queue, "Type"), "AWS::SQS::Queue")
		scalar(t, node(t, queue, "Properties", "FifoQueue"), "true") // a FIFO queue's DLQ must be FIFO too
	}
	redrive := node(t, q, "Properties", "RedrivePolicy")
	if r := node(t, redrive, "deadLetterTargetArn"); r.Tag != "!GetAtt" || r.Value != "DeadLetterQueue.Arn" {
		t.Errorf("redrive to %s %s", r.Tag, r.Value)
	}
	if n, _ := strconv.Atoi(node(t, redrive, "maxReceiveCount").Value); n < 100 {
		t.Errorf("maxReceiveCount %d would dead-letter before 24 hours of retries", n)
	}

	fn := node(t, res, "DeliveryFunction")
	scalar(t, node(t, fn, "Metadata", "BuildMethod"), "makefile")
	props := node(t, fn, "Properties")
	scalar(t, node(t, props, "Handler"), "bootstrap")
	scalar(t, node(t, props, "CodeUri"), ".")
	scalar(t, node(t, props, "Runtime"), "provided.al2023")
	timeout, _ := strconv.Atoi(node(t, props, "Timeout").Value)
	visibility, _ := strconv.Atoi(node(t, q, "Properties", "VisibilityTimeout").Value)
	if timeout == 0 || visibility < 6*timeout {
		t.Errorf("visibility timeout %d s, want at least 6 x the function's %d s", visibility, timeout)
	}
	ev := node(t, props, "Events", "Deliveries")
	scalar(t, node(t, ev, "Type"), "SQS")
	if r := node(t, ev, "Properties", "Queue"); r.Tag != "!GetAtt" || r.Value != "DeliveryQueue.Arn" {
		t.Errorf("the trigger reads %s %s", r.Tag, r.Value)
	}
	scalar(t, node(t, ev, "Properties", "BatchSize"), "10")
	if f := node(t, ev, "Properties", "FunctionResponseTypes"); len(f.Content) != 1 || f.Content[0].Value != "ReportBatchItemFailures" {
		t.Error("the trigger does not take partial batch failures")
	}
	if c, _ := strconv.Atoi(node(t, ev, "Properties", "ScalingConfig", "MaximumConcurrency").Value); c < 2 {
		t.Errorf("MaximumConcurrency %d", c)
	}

	// Both functions know the queue; the delivery function the DLQ too,
	// and no signing secret.
	for _, name := range []string{"RelayFunction", "DeliveryFunction"} {
		if v := node(t, res, name, "Properties", "Environment", "Variables", "DELIVERY_QUEUE_URL"); v.Tag != "!Ref" || v.Value != "DeliveryQueue" {
			t.Errorf("%s: DELIVERY_QUEUE_URL = %s %s", name, v.Tag, v.Value)
		}
	}
	vars := node(t, props, "Environment", "Variables")
	if v := node(t, vars, "DEAD_LETTER_QUEUE_URL"); v.Tag != "!Ref" || v.Value != "DeadLetterQueue" {
		t.Errorf("DEAD_LETTER_QUEUE_URL = %s %s", v.Tag, v.Value)
	}
	for i := 0; i+1 < len(vars.Content); i += 2 {
		if strings.HasPrefix(vars.Content[i].Value, "CLOCKIFY_SIGNING") {
			t.Errorf("the delivery function is given %s", vars.Content[i].Value)
		}
	}

	// Its own role: consume the queue, send to the DLQ, keep state in the
	// table, read the webhooks.
	if r := node(t, props, "Role"); r.Tag != "!GetAtt" || r.Value != "DeliveryRole.Arn" {
		t.Errorf("Role = %s %s", r.Tag, r.Value)
	}
	statements := node(t, node(t, res, "DeliveryRole", "Properties", "Policies").Content[0], "PolicyDocument", "Statement").Content
	if len(statements) != 5 {
		t.Fatalf("%d statements, want 5", len(statements))
	}
	var consume []string
	for _, a := range node(t, statements[0], "Action").Content {
		consume = append(consume, a.Value)
	}
	sort.Strings(consume)
	if got := strings.Join(consume, ","); got != "sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:ReceiveMessage" {
		t.Errorf("consume actions %s", got)
	}
	// It dead-letters, and queues digests.
	for i, want := range []string{"DeliveryQueue.Arn", "DeadLetterQueue.Arn", "DeliveryQueue.Arn"} {
		if r := node(t, statements[i], "Resource"); r.Tag != "!GetAtt" || r.Value != want {
			t.Errorf("statement %d on %s %s, want %s", i, r.Tag, r.Value, want)
		}
	}
	scalar(t, node(t, statements[1], "Action"), "sqs:SendMessage")
	scalar(t, node(t, statements[2], "Action"), "sqs:SendMessage")
	var keep []string
	for _, a := range node(t, statements[3], "Action").Content {
		keep = append(keep, a.Value)
	}
	if got := strings.Join(keep, ","); got != "dynamodb:GetItem,dynamodb:PutItem,dynamodb:Query,dynamodb:Scan,dynamodb:DeleteItem" {
		t.Errorf("state actions %s", got)
	}
	if r := node(t, statements[3], "Resource"); r.Tag != "!GetAtt" || r.Value != "StateTable.Arn" {
		t.Errorf("state access on %s %s", r.Tag, r.Value)
	}
	scalar(t, node(t, statements[4], "Action"), "ssm:GetParameters")
	if got := strings.Join(parameterARNs(t, statements[4]), ","); got != "DiscordWebhookUrlParameterName,RouteWebhooksParameterName,RoutesParameterName" {
		t.Errorf("the delivery function reads %s", got)
	}

	// The state table: on demand, keys as the dynamodb package names them,
	// TTL on its expiry attribute, and named to the delivery function.
	table := node(t, res, "StateTable", "Properties")
	scalar(t, node(t, table, "BillingMode"), "PAY_PER_REQUEST")
	scalar(t, node(t, table, "TimeToLiveSpecification", "AttributeName"), dynamodb.TTLAttribute)
	scalar(t, node(t, table, "TimeToLiveSpecification", "Enabled"), "true")
	keys := node(t, table, "KeySchema").Content
	if len(keys) != 2 || node(t, keys[0], "AttributeName").Value != dynamodb.PartitionKey || node(t, keys[1], "AttributeName").Value != dynamodb.SortKey {
		t.Error("the table's keys are not the dynamodb package's")
	}
	if v := node(t, vars, "STATE_TABLE"); v.Tag != "!Ref" || v.Value != "StateTable" {
		t.Errorf("STATE_TABLE = %s %s", v.Tag, v.Value)
	}

	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^build-DeliveryFunction:\n\t\$\(LAMBDA_BUILD\) -o \$\(ARTIFACTS_DIR\)/bootstrap ./lambda$`).Match(mk) {
		t.Error("Makefile has no build-DeliveryFunction target building the same bootstrap")
	}
}

// TestTemplateSchedule: the reminder schedule invokes the delivery
// function with an input the bootstrap takes for a scheduled event.
func TestTemplateSchedule(t *testing.T) {
	doc := loadTemplate(t)
	ev := node(t, doc, "Resources", "DeliveryFunction", "Properties", "Events", "Remind")
	scalar(t, node(t, ev, "Type"), "ScheduleV2")
	scalar(t, node(t, ev, "Properties", "ScheduleExpression"), "rate(15 minutes)")
	if name := node(t, ev, "Properties", "Name"); name.Tag != "!Sub" || !strings.Contains(name.Value, "${AWS::StackName}") {
		t.Errorf("the schedule's name is not the stack's own: %s %s", name.Tag, name.Value)
	}
	if kind := invocation.KindOf([]byte(node(t, ev, "Properties", "Input").Value)); kind != invocation.Scheduled {
		t.Errorf("the schedule's input is taken for %s", kind)
	}
	vars := node(t, doc, "Resources", "DeliveryFunction", "Properties", "Environment", "Variables")
	if v := node(t, vars, "LONG_TIMER_HOURS"); v.Tag != "!Ref" || v.Value != "LongTimerHours" {
		t.Errorf("LONG_TIMER_HOURS = %s %s", v.Tag, v.Value)
	}
}

// TestTemplateDigestSchedule: the digest's schedule fires at DigestTime in
// TimeZone, daily or on Mondays, is turned off with Digest=off, and
// invokes the delivery function with the input the bootstrap takes for a
// digest; the function is told the same settings.
func TestTemplateDigestSchedule(t *testing.T) {
	doc := loadTemplate(t)
	ev := node(t, doc, "Resources", "DeliveryFunction", "Properties", "Events", "Digest")
	scalar(t, node(t, ev, "Type"), "ScheduleV2")
	props := node(t, ev, "Properties")
	if tz := node(t, props, "ScheduleExpressionTimezone"); tz.Tag != "!Ref" || tz.Value != "TimeZone" {
		t.Errorf("ScheduleExpressionTimezone = %s %s", tz.Tag, tz.Value)
	}
	expr := node(t, props, "ScheduleExpression")
	if expr.Tag != "!Sub" || expr.Content[0].Value != "cron(${Minute} ${Hour} ${Days})" {
		t.Fatalf("ScheduleExpression = %s %v", expr.Tag, expr.Content)
	}
	days := node(t, expr.Content[1], "Days")
	if days.Tag != "!If" || days.Content[0].Value != "DigestWeekly" || days.Content[1].Value != "? * MON *" || days.Content[2].Value != "* * ? *" {
		t.Errorf("Days = %s %v", days.Tag, days.Content)
	}
	for field, index := range map[string]string{"Hour": "0", "Minute": "1"} {
		sel := node(t, expr.Content[1], field)
		if sel.Tag != "!Select" || sel.Content[0].Value != index || sel.Content[1].Tag != "!Split" || sel.Content[1].Content[1].Value != "DigestTime" {
			t.Errorf("%s is not part %s of DigestTime", field, index)
		}
	}
	if state := node(t, props, "State"); state.Tag != "!If" || state.Content[0].Value != "DigestOff" || state.Content[1].Value != "DISABLED" {
		t.Errorf("State = %s %v", state.Tag, state.Content)
	}
	input := []byte(node(t, props, "Input").Value)
	var shape struct {
		DetailType string `json:"detail-type"`
	}
	if err := json.Unmarshal(input, &shape); err != nil || invocation.KindOf(input) != invocation.Scheduled || shape.DetailType != schedule.Digest {
		t.Errorf("the digest schedule's input %s is not a digest event", input)
	}
	if sample, err := os.ReadFile(filepath.Join(repoRoot, "events", "schedule-digest.json")); err != nil || canonicalJSON(t, sample) != canonicalJSON(t, input) {
		t.Errorf("events/schedule-digest.json is not the schedule's input: %v", err)
	}
	vars := node(t, doc, "Resources", "DeliveryFunction", "Properties", "Environment", "Variables")
	for name, param := range map[string]string{"DIGEST": "Digest", "DIGEST_TIME": "DigestTime", "TIME_ZONE": "TimeZone"} {
		if v := node(t, vars, name); v.Tag != "!Ref" || v.Value != param {
			t.Errorf("%s = %s %s", name, v.Tag, v.Value)
		}
	}
	scalar(t, node(t, doc, "Parameters", "Digest", "Default"), "daily")
	scalar(t, node(t, doc, "Parameters", "DigestTime", "Default"), "18:00")
	scalar(t, node(t, doc, "Parameters", "TimeZone", "Default"), "Asia/Tokyo")
}
