package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"clockify-discord-relay/lambda/internal/testkit/throttle"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/dynamodb"
)

// checks compare what moto created with the transformed template.
type checks struct {
	log        *report
	moto       *motoServer
	stack      string
	parameters map[string]string
	cfn        map[string]any
}

// check runs the checks on what the deploy step created.
func (r *rehearsal) check() error {
	return (&checks{log: r.log, moto: r.moto, stack: r.stack, parameters: r.parameters, cfn: r.cfn}).all()
}

// all compares what moto created with the transformed template, and
// checks in the template itself what moto does not create.
func (r *checks) all() error {
	z, err := r.created()
	if err != nil {
		return err
	}
	res := resources(r.cfn)
	var names []string
	for name := range res {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		m := res[name]
		raw, _ := m["Properties"].(map[string]any)
		props, _ := z.value(raw).(map[string]any) // resolved, as CloudFormation did
		switch m["Type"] {
		case "AWS::Lambda::Function":
			r.checkFunction(z, name, props)
		case "AWS::SQS::Queue":
			r.checkQueue(z, name, props)
		case "AWS::Lambda::EventSourceMapping":
			r.checkTrigger(z, name, props)
		case "AWS::Logs::LogGroup":
			r.checkLogGroup(z, name, props)
		case "AWS::DynamoDB::Table":
			r.checkTable(z, name, props)
		case "AWS::Scheduler::Schedule":
			r.checkSchedule(name, props)
		case "AWS::CloudWatch::Alarm":
			r.log.ok("%s (not in moto, from the template): %v %v", name, props["Namespace"], props["MetricName"])
		case "AWS::ApiGateway::Stage":
			settings, _ := json.Marshal(props["MethodSettings"])
			r.log.ok("%s (not in moto, from the template): stage %v, method settings %s", name, props["StageName"], settings)
			r.checkThrottle(name, props)
		}
	}
	r.checkAPI(z)
	return nil
}

// checkThrottle: the stage's throttle, as deployed with samconfig's
// parameters, lets the rush the relay promises through (300 webhooks in
// 10 s) without a 429.
func (r *checks) checkThrottle(name string, props map[string]any) {
	settings, _ := props["MethodSettings"].([]any)
	for _, s := range settings {
		m, _ := s.(map[string]any)
		rate, err1 := strconv.ParseFloat(fmt.Sprint(m["ThrottlingRateLimit"]), 64)
		burst, err2 := strconv.ParseFloat(fmt.Sprint(m["ThrottlingBurstLimit"]), 64)
		if err1 != nil || err2 != nil {
			r.log.fail("%s: unreadable throttle %v / %v", name, m["ThrottlingRateLimit"], m["ThrottlingBurstLimit"])
			continue
		}
		if n := throttle.Refused(rate, burst, 300, 10*time.Second); n > 0 {
			r.log.fail("%s: the throttle (%g a second, %g at once) refuses %d of a rush of 300 webhooks in 10 s", name, rate, burst, n)
			continue
		}
		r.log.ok("%s: the throttle (%g a second, %g at once) lets a rush of 300 webhooks in 10 s through", name, rate, burst)
	}
}

// created lists the stack's resources and what the checks need of them.
func (r *checks) created() (*resolver, error) {
	var out struct {
		StackResourceSummaries []struct{ LogicalResourceId, PhysicalResourceId, ResourceType string }
	}
	if err := r.moto.aws(&out, "cloudformation", "list-stack-resources", "--stack-name", r.stack); err != nil {
		return nil, err
	}
	z := &resolver{r: r, physical: map[string]string{}, attrs: map[string]map[string]string{}}
	for _, s := range out.StackResourceSummaries {
		z.physical[s.LogicalResourceId] = s.PhysicalResourceId
		switch s.ResourceType {
		case "AWS::SQS::Queue":
			var q struct{ Attributes map[string]string }
			if err := r.moto.aws(&q, "sqs", "get-queue-attributes", "--queue-url", s.PhysicalResourceId, "--attribute-names", "All"); err != nil {
				return nil, err
			}
			q.Attributes["Arn"] = q.Attributes["QueueArn"]
			q.Attributes["QueueName"] = q.Attributes["QueueArn"][strings.LastIndex(q.Attributes["QueueArn"], ":")+1:]
			z.attrs[s.LogicalResourceId] = q.Attributes
		case "AWS::DynamoDB::Table":
			var tbl struct {
				Table struct {
					TableArn           string
					KeySchema          []struct{ AttributeName, KeyType string }
					BillingModeSummary struct{ BillingMode string }
				}
			}
			if err := r.moto.aws(&tbl, "dynamodb", "describe-table", "--table-name", s.PhysicalResourceId); err != nil {
				return nil, err
			}
			keys, _ := json.Marshal(tbl.Table.KeySchema)
			z.attrs[s.LogicalResourceId] = map[string]string{"Arn": tbl.Table.TableArn, "KeySchema": string(keys), "BillingMode": tbl.Table.BillingModeSummary.BillingMode}
		case "AWS::IAM::Role":
			var role struct{ Role struct{ Arn string } }
			if err := r.moto.aws(&role, "iam", "get-role", "--role-name", s.PhysicalResourceId); err != nil {
				return nil, err
			}
			z.attrs[s.LogicalResourceId] = map[string]string{"Arn": role.Role.Arn}
		}
	}
	r.log.ok("%d resources in the stack", len(out.StackResourceSummaries))
	return z, nil
}

func (r *checks) checkFunction(z *resolver, name string, props map[string]any) {
	var got struct {
		Runtime, Handler, Role string
		Timeout, MemorySize    float64
		Environment            struct{ Variables map[string]any }
	}
	if err := r.moto.aws(&got, "lambda", "get-function-configuration", "--function-name", z.physical[name]); err != nil {
		r.log.fail("%s: %v", name, err)
		return
	}
	r.log.expect(name+" runtime", got.Runtime, props["Runtime"])
	r.log.expect(name+" handler", got.Handler, props["Handler"])
	r.log.expect(name+" timeout", got.Timeout, props["Timeout"])
	r.log.expect(name+" memory", got.MemorySize, props["MemorySize"])
	r.log.expect(name+" architectures (moto drops them: from the template)", props["Architectures"], []any{"arm64"})
	env, _ := props["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	want := map[string]string{}
	for k, v := range vars {
		want[k] = fmt.Sprint(v)
	}
	have := map[string]string{}
	for k, v := range got.Environment.Variables {
		have[k] = fmt.Sprint(number(v)) // moto keeps a Number parameter's type; Lambda has strings
	}
	r.log.expect(name+" environment", sortedMap(have), sortedMap(want))
	r.checkRole(z, name, got.Role)
}

// checkRole checks the function's role: its inline policies are the
// template's, and every resource they grant is one the stack created or a
// parameter the deploy guide stored.
func (r *checks) checkRole(z *resolver, fn, roleARN string) {
	roleName := roleARN[strings.LastIndex(roleARN, "/")+1:]
	var list struct{ PolicyNames []string }
	if err := r.moto.aws(&list, "iam", "list-role-policies", "--role-name", roleName); err != nil {
		r.log.fail("%s role: %v", fn, err)
		return
	}
	var granted []string
	for _, p := range list.PolicyNames {
		var doc struct{ PolicyDocument any }
		if err := r.moto.aws(&doc, "iam", "get-role-policy", "--role-name", roleName, "--policy-name", p); err != nil {
			r.log.fail("%s role policy %s: %v", fn, p, err)
			continue
		}
		pd, err := policyDocument(doc.PolicyDocument)
		if err != nil {
			r.log.fail("%s role policy %s: %v", fn, p, err)
			continue
		}
		granted = append(granted, statements(pd)...)
	}
	sort.Strings(granted)
	// The template's policies for that role, resolved.
	var want []string
	for logical, a := range z.attrs {
		if a["Arn"] != roleARN {
			continue
		}
		rp, _ := z.value(resources(r.cfn)[logical]["Properties"]).(map[string]any)
		policies, _ := rp["Policies"].([]any)
		for _, p := range policies {
			pm, _ := p.(map[string]any)
			want = append(want, statements(pm["PolicyDocument"])...)
		}
	}
	if len(want) == 0 {
		r.log.fail("%s: the template grants its role nothing (role %s)", fn, roleARN)
	}
	sort.Strings(want)
	r.log.expect(fn+" role grants exactly the template's statements", strings.Join(granted, "; "), strings.Join(want, "; "))
	if fn == "RelayFunction" {
		// The internet-facing function may touch its dedupe keys, and
		// query a destination's partition (32 hex digits) for Discord's
		// interactions, and nothing else in the table.
		destinations := `"dynamodb:LeadingKeys":["` + strings.Repeat("?", len(queue.Destination(""))) + `"]`
		limited, queries := true, false
		for _, g := range granted {
			switch {
			case !strings.Contains(g, "dynamodb:"):
			case strings.Contains(g, `"dynamodb:LeadingKeys":["`+dynamodb.DedupPrefix+`*"]`):
			case strings.HasPrefix(g, "Allow dynamodb:Query on ") && strings.Contains(g, destinations):
				queries = true
			default:
				r.log.fail("%s role grants %s beyond its dedupe keys and the destinations' partitions", fn, g)
				limited = false
			}
		}
		if !queries {
			r.log.fail("%s role may not query the destinations' partitions: /working and /hours would fail", fn)
		}
		if limited && queries {
			r.log.ok("%s role reaches only the table's %s* items, and queries the destinations' partitions", fn, dynamodb.DedupPrefix)
		}
	}
	r.checkWebhookAccess(fn, granted)
	for _, g := range granted {
		resources, _, _ := strings.Cut(g[strings.Index(g, " on ")+4:], " if ")
		for _, res := range strings.Split(resources, ",") {
			if problem := z.known(res); problem != "" {
				r.log.fail("%s role grants %s on %s", fn, problem, res)
			}
		}
	}
}

// checkWebhookAccess checks who may read the webhook URLs: the delivery
// function, and never the internet-facing API function.
func (r *checks) checkWebhookAccess(fn string, granted []string) {
	var reads []string
	for _, p := range []string{"DiscordWebhookUrlParameterName", "RouteWebhooksParameterName"} {
		name := r.parameters[p]
		for _, g := range granted {
			resources, _, _ := strings.Cut(g[strings.Index(g, " on ")+4:], " if ")
			for _, res := range strings.Split(resources, ",") {
				if name != "" && strings.HasSuffix(res, ":parameter"+name) {
					reads = append(reads, name)
				}
			}
		}
	}
	switch {
	case fn == "RelayFunction" && len(reads) > 0:
		r.log.fail("%s role may read the webhook URLs in %s: it faces the internet, and needs none", fn, strings.Join(reads, ", "))
	case fn == "RelayFunction":
		r.log.ok("%s role may read no webhook URL: not the default one, not the routes'", fn)
	case fn == "DeliveryFunction" && len(reads) != 2:
		r.log.fail("%s role reads the webhook URLs in %v, want both", fn, reads)
	}
}

// policyDocument reads a role policy as IAM returns it: a JSON object, or
// URL-encoded JSON; moto returns the Python text of the object instead.
func policyDocument(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	if u, err := url.QueryUnescape(s); err == nil {
		s = u
	}
	var doc any
	if json.Unmarshal([]byte(s), &doc) == nil {
		return doc, nil
	}
	cmd := exec.Command("python3", "-c", "import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))")
	cmd.Stdin = strings.NewReader(s)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("unreadable policy document: %v", err)
	}
	return doc, json.Unmarshal(out, &doc)
}

// known says what is wrong with a granted resource ("" for nothing): it
// must be a queue of the stack or a parameter the deploy guide stored.
func (z *resolver) known(arn string) string {
	for _, a := range z.attrs {
		if a["Arn"] == arn && !strings.Contains(arn, ":iam:") {
			return ""
		}
	}
	prefix := "arn:aws:ssm:" + region + ":" + account + ":parameter"
	if name, ok := strings.CutPrefix(arn, prefix); ok {
		if err := z.r.moto.aws(nil, "ssm", "get-parameter", "--name", name); err != nil {
			return "access to a parameter that does not exist"
		}
		return ""
	}
	return "access to a resource that is neither the stack's nor a stored parameter"
}

// statements flattens a policy document to "Effect actions on resources".
func statements(doc any) []string {
	d, _ := doc.(map[string]any)
	list, _ := d["Statement"].([]any)
	var out []string
	for _, s := range list {
		st, _ := s.(map[string]any)
		line := fmt.Sprintf("%v %s on %s", st["Effect"], strings.Join(strs(st["Action"]), ","), strings.Join(strs(st["Resource"]), ","))
		if c, ok := st["Condition"]; ok {
			raw, _ := json.Marshal(c) // map keys sorted: comparable
			line += " if " + string(raw)
		}
		out = append(out, line)
	}
	return out
}

func strs(v any) []string {
	var out []string
	switch t := v.(type) {
	case string:
		out = []string{t}
	case []any:
		for _, e := range t {
			if e != nil {
				out = append(out, fmt.Sprint(e))
			}
		}
	}
	sort.Strings(out)
	return out
}

func sortedMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q ", k, m[k])
	}
	return strings.TrimSpace(b.String())
}

func (r *checks) checkQueue(z *resolver, name string, props map[string]any) {
	got := z.attrs[name]
	r.log.expect(name+" is FIFO", got["FifoQueue"], "true")
	for _, attr := range []string{"VisibilityTimeout", "MessageRetentionPeriod"} {
		if want, ok := props[attr]; ok {
			r.log.expect(name+" "+attr, got[attr], want)
		}
	}
	if redrive, ok := props["RedrivePolicy"].(map[string]any); ok {
		var policy map[string]any
		_ = json.Unmarshal([]byte(got["RedrivePolicy"]), &policy)
		r.log.expect(name+" dead-letter queue", policy["deadLetterTargetArn"], z.value(redrive["deadLetterTargetArn"]))
		r.log.expect(name+" maxReceiveCount", fmt.Sprint(policy["maxReceiveCount"]), fmt.Sprint(redrive["maxReceiveCount"]))
	}
}

func (r *checks) checkTrigger(z *resolver, name string, props map[string]any) {
	fn := fmt.Sprint(z.value(props["FunctionName"]))
	var out struct {
		EventSourceMappings []struct {
			EventSourceArn        string
			BatchSize             float64
			FunctionResponseTypes []string
		}
	}
	if err := r.moto.aws(&out, "lambda", "list-event-source-mappings", "--function-name", fn); err != nil || len(out.EventSourceMappings) != 1 {
		r.log.fail("%s: %v, %d mappings", name, err, len(out.EventSourceMappings))
		return
	}
	m := out.EventSourceMappings[0]
	r.log.expect(name+" source", m.EventSourceArn, z.value(props["EventSourceArn"]))
	r.log.expect(name+" batch size", m.BatchSize, props["BatchSize"])
	scaling, _ := json.Marshal(props["ScalingConfig"])
	r.log.ok("%s (partial batch failures and scaling from the template): %v %s", name, props["FunctionResponseTypes"], scaling)
}

func (r *checks) checkLogGroup(z *resolver, name string, props map[string]any) {
	want := fmt.Sprint(z.value(props["LogGroupName"]))
	var out struct {
		LogGroups []struct {
			LogGroupName    string
			RetentionInDays float64
		}
	}
	if err := r.moto.aws(&out, "logs", "describe-log-groups", "--log-group-name-prefix", want); err != nil || len(out.LogGroups) != 1 {
		r.log.fail("%s %s: %v", name, want, err)
		return
	}
	r.log.expect(name+" "+want+" retention", out.LogGroups[0].RetentionInDays, props["RetentionInDays"])
}

// checkAPI checks the URL output against the API moto created.
func (r *checks) checkAPI(z *resolver) {
	var out struct {
		Stacks []struct {
			Outputs []struct{ OutputKey, OutputValue string }
		}
	}
	if err := r.moto.aws(&out, "cloudformation", "describe-stacks", "--stack-name", r.stack); err != nil || len(out.Stacks) != 1 {
		r.log.fail("outputs: %v", err)
		return
	}
	var api string
	for name, m := range resources(r.cfn) {
		if m["Type"] == "AWS::ApiGateway::RestApi" {
			api = z.physical[name]
		}
	}
	// Both routes, to the relay function.
	for name, m := range resources(r.cfn) {
		if m["Type"] != "AWS::ApiGateway::RestApi" {
			continue
		}
		props, _ := m["Properties"].(map[string]any)
		body, _ := props["Body"].(map[string]any)
		paths, _ := body["paths"].(map[string]any)
		for _, path := range []string{"/clockify", "/discord/interactions"} {
			methods, _ := paths[path].(map[string]any)
			post, _ := methods["post"].(map[string]any)
			integration, _ := post["x-amazon-apigateway-integration"].(map[string]any)
			if uri := fmt.Sprint(integration["uri"]); !strings.Contains(uri, "RelayFunction") {
				r.log.fail("%s has no POST %s to the relay function (%s)", name, path, uri)
			} else {
				r.log.ok("%s routes POST %s to the relay function", name, path)
			}
		}
	}
	want := map[string]string{
		"ClockifyWebhookUrl": "https://" + api + ".execute-api." + region + ".amazonaws.com/Prod/clockify",
		"InteractionsUrl":    "https://" + api + ".execute-api." + region + ".amazonaws.com/Prod/discord/interactions",
	}
	for _, o := range out.Stacks[0].Outputs {
		if w, ok := want[o.OutputKey]; ok {
			r.log.expect("output "+o.OutputKey, o.OutputValue, w)
			delete(want, o.OutputKey)
		}
	}
	for name := range want {
		r.log.fail("no %s output", name)
	}
}

func (r *checks) checkTable(z *resolver, name string, props map[string]any) {
	want, _ := json.Marshal(props["KeySchema"])
	var wantKeys, gotKeys any
	_ = json.Unmarshal(want, &wantKeys)
	_ = json.Unmarshal([]byte(z.attrs[name]["KeySchema"]), &gotKeys)
	r.log.expect(name+" keys", gotKeys, wantKeys)
	var ttl struct {
		TimeToLiveDescription struct{ AttributeName, TimeToLiveStatus string }
	}
	if err := r.moto.aws(&ttl, "dynamodb", "describe-time-to-live", "--table-name", z.physical[name]); err != nil {
		r.log.fail("%s TTL: %v", name, err)
		return
	}
	spec, _ := props["TimeToLiveSpecification"].(map[string]any)
	if ttl.TimeToLiveDescription.AttributeName == "" {
		// moto's CloudFormation does not apply the specification.
		r.log.expect(name+" TTL attribute (not applied by moto: from the template)", spec["AttributeName"], dynamodb.TTLAttribute)
		return
	}
	r.log.expect(name+" TTL attribute", ttl.TimeToLiveDescription.AttributeName, spec["AttributeName"])
}

func (r *checks) checkSchedule(name string, props map[string]any) {
	target, _ := props["Target"].(map[string]any)
	var got struct {
		ScheduleExpression string
		Target             struct{ Arn, Input string }
	}
	if err := r.moto.aws(&got, "scheduler", "get-schedule", "--name", fmt.Sprint(props["Name"])); err != nil {
		var list struct{ Schedules []any }
		if r.moto.aws(&list, "scheduler", "list-schedules") == nil && len(list.Schedules) == 0 {
			// moto's CloudFormation does not create schedules.
			expr, zone := fmt.Sprint(props["ScheduleExpression"]), props["ScheduleExpressionTimezone"] // resolved by the caller
			if problem := scheduleProblem(expr, zone); problem != "" {
				r.log.fail("%s: %s", name, problem)
				return
			}
			r.log.ok("%s (not in moto, from the template): %s in %v, %v, input %v", name, expr, cmp.Or(zone, any("UTC")), cmp.Or(props["State"], any("ENABLED")), target["Input"])
			return
		}
		r.log.fail("%s: %v", name, err)
		return
	}
	r.log.expect(name+" expression", got.ScheduleExpression, props["ScheduleExpression"])
	r.log.expect(name+" target", got.Target.Arn, target["Arn"])
	r.log.expect(name+" input", got.Target.Input, target["Input"])
}

// scheduleExpression is what EventBridge Scheduler takes: rate(…), or a
// cron of six fields with one of day-of-month and day-of-week a "?".
var scheduleExpression = regexp.MustCompile(`^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(([0-5]?[0-9]) ([01]?[0-9]|2[0-3]) (\* \* \?|\? \* [A-Z,-]+) \*\))$`)

// scheduleProblem says what EventBridge Scheduler would refuse in a
// schedule: its expression, or a time zone that is not an IANA name.
func scheduleProblem(expr string, zone any) string {
	if !scheduleExpression.MatchString(expr) {
		return fmt.Sprintf("%q is not a schedule expression EventBridge Scheduler takes", expr)
	}
	if zone != nil {
		if _, err := time.LoadLocation(fmt.Sprint(zone)); err != nil || fmt.Sprint(zone) == "Local" {
			return fmt.Sprintf("time zone %q is not an IANA name", zone)
		}
	}
	return ""
}
