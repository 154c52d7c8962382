package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// deploy creates the stack from the transformed template, with the
// parameters sam deploy would pass, as CloudFormation does after the SAM
// transform. (moto misorders change sets, so create-stack it is.)
func (r *rehearsal) deploy() error {
	body, err := r.forMoto()
	if err != nil {
		return err
	}
	args := []string{"cloudformation", "create-stack", "--stack-name", r.stack,
		"--template-body", "file://" + body,
		"--capabilities", "CAPABILITY_IAM"}
	declared, _ := r.cfn["Parameters"].(map[string]any)
	var names []string
	for name := range declared {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > 0 {
		args = append(args, "--parameters")
		for _, name := range names {
			args = append(args, "ParameterKey="+name+",ParameterValue="+r.parameters[name])
		}
	}
	if err := r.moto.aws(nil, args...); err != nil {
		return err
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(500 * time.Millisecond) {
		var out struct {
			Stacks []struct{ StackStatus, StackStatusReason string }
		}
		if err := r.moto.aws(&out, "cloudformation", "describe-stacks", "--stack-name", r.stack); err != nil {
			return err
		}
		if len(out.Stacks) != 1 {
			return fmt.Errorf("describe-stacks: %d stacks", len(out.Stacks))
		}
		status := out.Stacks[0].StackStatus
		if status == "CREATE_COMPLETE" {
			r.log.ok("stack %s: CREATE_COMPLETE", r.stack)
			return nil
		}
		if !strings.HasSuffix(status, "_IN_PROGRESS") || time.Now().After(deadline) {
			return fmt.Errorf("stack %s: %s %s", r.stack, status, out.Stacks[0].StackStatusReason)
		}
	}
}

// forMoto writes the transformed template as moto can create it, and says
// what it changed: names CloudFormation makes up by itself, which moto
// needs given.
func (r *rehearsal) forMoto() (string, error) {
	var doc map[string]any
	raw, _ := json.Marshal(r.cfn)
	_ = json.Unmarshal(raw, &doc)
	res, _ := doc["Resources"].(map[string]any)
	names := make([]string, 0, len(res))
	for name := range res {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := res[name]
		m, _ := v.(map[string]any)
		props, _ := m["Properties"].(map[string]any)
		switch {
		case m["Type"] == "AWS::SQS::Queue" && props["FifoQueue"] == true && props["QueueName"] == nil:
			props["QueueName"] = r.stack + "-" + name + ".fifo"
			fmt.Fprintf(r.log.out, "note  moto: %s gets the QueueName %s (CloudFormation makes up a .fifo name itself)\n", name, props["QueueName"])
		case m["Type"] == "AWS::ApiGateway::RestApi" && props["Name"] == nil:
			props["Name"] = r.stack
			fmt.Fprintf(r.log.out, "note  moto: %s gets a Name (CloudFormation takes the OpenAPI body's title)\n", name)
		case m["Type"] == "AWS::ApiGateway::Deployment", m["Type"] == "AWS::ApiGateway::Stage":
			// moto ignores the OpenAPI body, so its API has no method to
			// deploy; these are checked in the transformed template.
			delete(res, name)
			fmt.Fprintf(r.log.out, "note  moto: %s (%s) is left out: moto's API has no methods, as it ignores the OpenAPI body\n", name, m["Type"])
		}
	}
	out, _ := json.MarshalIndent(doc, "", " ")
	path := filepath.Join(r.work, "for-moto.json")
	return path, os.WriteFile(path, out, 0o600)
}
