package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const bucket = "rehearsal-artifacts"

// translate applies the SAM transform as CloudFormation does, with AWS's
// own translator, after pointing each function's CodeUri at its uploaded
// artifact as sam package does.
const translate = `
import json, sys
from samtranslator.yaml_helper import yaml_parse
from samtranslator.translator.transform import transform

class NoManagedPolicies:
    def load(self):
        return {}

template_path, artifacts, params, out_path = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
with open(template_path) as f:
    template = yaml_parse(f.read())
for fn, uri in artifacts.items():
    template["Resources"][fn]["Properties"]["CodeUri"] = uri
params["AWS::Region"] = "` + region + `"
with open(out_path, "w") as f:
    json.dump(transform(template, params, NoManagedPolicies()), f, indent=1)
`

// transform uploads the artifacts, transforms the template, and lints the
// template and its transform with cfn-lint.
func (r *rehearsal) transform() error {
	if err := r.moto.aws(nil, "s3", "mb", "s3://"+bucket); err != nil {
		return err
	}
	artifacts := map[string]string{}
	for _, fn := range r.functions {
		if err := r.moto.aws(nil, "s3", "cp", filepath.Join(r.work, fn+".zip"), "s3://"+bucket+"/"+fn+".zip"); err != nil {
			return err
		}
		artifacts[fn] = "s3://" + bucket + "/" + fn + ".zip"
	}
	a, _ := json.Marshal(artifacts)
	p, _ := json.Marshal(r.parameters)
	out := filepath.Join(r.work, "transformed.json")
	cmd := command("python3", "-c", translate, filepath.Join(r.root, "template.yaml"), string(a), string(p), out)
	cmd.Env = r.moto.env()
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("the SAM transform failed: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &r.cfn); err != nil {
		return err
	}
	r.log.ok("the SAM transform: %d resources", len(resources(r.cfn)))
	for _, t := range []string{filepath.Join(r.root, "template.yaml"), out} {
		cmd := command("cfn-lint", "--regions", region, "--", t)
		cmd.Env = r.moto.env()
		msg, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			return err
		}
		if code&2 != 0 { // cfn-lint: 2 errors, 4 warnings, 8 notes
			r.log.fail("cfn-lint %s:\n%s", filepath.Base(t), indent(string(msg)))
		} else {
			r.log.ok("cfn-lint %s%s", filepath.Base(t), strings.TrimRight("\n"+indent(string(msg)), " \n"))
		}
	}
	return nil
}

// resources are the transformed template's resources.
func resources(cfn map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	res, _ := cfn["Resources"].(map[string]any)
	for name, v := range res {
		m, _ := v.(map[string]any)
		out[name] = m
	}
	return out
}
