package main

import (
	"os"
	"strings"
	"testing"
)

// TestDeployGuideHasTheCommandsToRehearse: the deploy guide's shell
// blocks include the parameter commands the rehearsal runs.
func TestDeployGuideHasTheCommandsToRehearse(t *testing.T) {
	raw, err := os.ReadFile("../../../" + deployGuide)
	if err != nil {
		t.Fatal(err)
	}
	var aws []string
	for _, b := range shellBlocks(string(raw)) {
		if strings.Contains(b, "aws ssm put-parameter") {
			aws = append(aws, b)
		}
	}
	if len(aws) < 2 || !strings.Contains(strings.Join(aws, "\n"), "cli_follow_urlparam false") {
		t.Errorf("the deploy guide's parameter commands: %q", aws)
	}
}

// TestCheckBootstrap: this test binary is no Lambda artifact for arm64.
func TestCheckBootstrap(t *testing.T) {
	if problem := checkBootstrap(os.Args[0]); problem == "" {
		t.Errorf("the test binary passed as a linux/arm64 bootstrap")
	}
	if problem := checkBootstrap("/nonexistent/bootstrap"); problem != "no bootstrap in the artifacts" {
		t.Errorf("missing: %q", problem)
	}
}

func TestScheduleProblem(t *testing.T) {
	for expr, ok := range map[string]bool{
		"rate(15 minutes)":        true,
		"cron(00 18 * * ? *)":     true,
		"cron(30 08 ? * MON *)":   true,
		"cron(0 24 * * ? *)":      false,
		"cron(  * * ? *)":         false, // an unresolved Fn::Sub
		"cron(0 18 * * MON *)":    false, // both days set
		"cron(0 18 * * ? *) junk": false,
	} {
		if got := scheduleProblem(expr, "Asia/Tokyo") == ""; got != ok {
			t.Errorf("%s: taken %v, want %v", expr, got, ok)
		}
	}
	if scheduleProblem("rate(1 day)", "Mars/Base") == "" {
		t.Error("an unknown time zone was taken")
	}
}
