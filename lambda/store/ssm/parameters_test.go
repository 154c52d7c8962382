package ssm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"clockify-discord-relay/lambda/store/ssm"
	"clockify-discord-relay/lambda/store/ssm/ssmtest"
)

func TestGetDecryptsInOneCall(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	emu.Put(t, emu.Name("/relay/discord-webhook-url"), "https://discord.com/api/webhooks/1/secret-token", types.ParameterTypeSecureString)
	emu.Put(t, emu.Name("/relay/clockify-signing-secrets"), "a\nb", types.ParameterTypeSecureString)
	emu.ResetCalls()

	p := ssm.New(emu.Client(t))
	got, err := p.Get(context.Background(), emu.Name("/relay/discord-webhook-url"), emu.Name("/relay/clockify-signing-secrets"))
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got[emu.Name("/relay/discord-webhook-url")] != "https://discord.com/api/webhooks/1/secret-token" || got[emu.Name("/relay/clockify-signing-secrets")] != "a\nb" {
		t.Errorf("values = %q", got)
	}
	calls := emu.Calls()
	if len(calls) != 1 || calls[0].Target != "AmazonSSM.GetParameters" {
		t.Fatalf("calls = %+v, want one GetParameters", calls)
	}
	if !calls[0].WithDecryption {
		t.Error("GetParameters did not ask for decryption")
	}
}

func TestGetNamesMissingParameters(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	emu.Put(t, emu.Name("/relay/present"), "v", types.ParameterTypeSecureString)
	_, err := ssm.New(emu.Client(t)).Get(context.Background(), emu.Name("/relay/present"), emu.Name("/relay/missing"))
	if err == nil || !strings.Contains(err.Error(), "parameters not found: "+emu.Name("/relay/missing")) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), emu.Name("/relay/present")) {
		t.Errorf("error names a parameter that exists: %v", err)
	}
}

func TestGetReportsUnreachableSSM(t *testing.T) {
	client := awsssm.New(awsssm.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("http://127.0.0.1:1"),
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: 1,
	})
	_, err := ssm.New(client).Get(context.Background(), "/relay/x")
	if err == nil || !strings.Contains(err.Error(), "ssm: reading parameters /relay/x") {
		t.Fatalf("err = %v", err)
	}
}
