package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/relay"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/ssm"
)

// secretsTTL is how long secrets read from SSM are kept, so a rotated secret
// takes effect within this time without a redeploy.
const secretsTTL = 5 * time.Minute

// newSecretSource gives the relay its secrets: the values set in the
// environment, and the rest from SSM, read lazily and cached.
func newSecretSource(s settings, now func() time.Time) relay.SecretSource {
	static := relay.Secrets{
		DiscordWebhookURL: s.discordURL,
		Signing:           clockify.ParseSecrets(s.signing),
		Routes:            s.routes,
	}
	names := s.parameterNames()
	if len(names) == 0 {
		return relay.StaticSecrets(static)
	}
	client := &lazyParameters{}
	return relay.NewCachedSecrets(func(ctx context.Context) (relay.Secrets, error) {
		params, err := client.get(ctx)
		if err != nil {
			return relay.Secrets{}, err
		}
		values, err := params.Get(ctx, names...)
		if err != nil {
			return relay.Secrets{}, err
		}
		out := static
		if v, ok := values[s.discordURLParameter]; ok {
			out.DiscordWebhookURL = strings.TrimSpace(v)
		}
		if v, ok := values[s.signingParameter]; ok {
			out.Signing = clockify.ParseSecrets(v)
		}
		if v, ok := values[s.routesParameter]; ok {
			if out.Routes, err = route.Parse(v); err != nil {
				return relay.Secrets{}, fmt.Errorf("%s: %w", s.routesParameter, err)
			}
		}
		return out, nil
	}, secretsTTL, now)
}

// lazyParameters builds the SSM client on first use, so a relay configured
// by environment values alone never loads the AWS configuration.
type lazyParameters struct {
	mu     sync.Mutex
	params *ssm.Parameters
}

func (l *lazyParameters) get(ctx context.Context) (*ssm.Parameters, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.params != nil {
		return l.params, nil
	}
	cfg, err := config.LoadDefaultConfig(ctx) // honours AWS_ENDPOINT_URL_SSM
	if err != nil {
		return nil, err
	}
	l.params = ssm.New(awsssm.NewFromConfig(cfg))
	return l.params, nil
}

// newSQSClient builds the SQS client; AWS_ENDPOINT_URL_SQS points it at an
// emulator.
func newSQSClient(ctx context.Context) (*awssqs.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return awssqs.NewFromConfig(cfg, func(o *awssqs.Options) {
		// A FIFO queue answers a deduplicated send with the first copy's
		// checksum, which the SDK would take for corruption: the copy
		// differs in when it was accepted. TLS guards the bytes.
		o.DisableMessageChecksumValidation = true
	}), nil
}
