package main

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"clockify-discord-relay/lambda/store/ssm"
)

// awsClients builds the AWS SDK clients on first use, from one
// configuration loaded once: a relay configured by environment values
// alone never loads it. AWS_ENDPOINT_URL_SSM and AWS_ENDPOINT_URL_SQS
// point the clients at an emulator.
type awsClients struct {
	config     lazy[aws.Config]
	parameters lazy[*ssm.Parameters]
	sqs        lazy[*awssqs.Client]
	dynamodb   lazy[*awsdynamodb.Client]
}

func newAWSClients() *awsClients {
	c := &awsClients{}
	c.config.build = func(ctx context.Context) (aws.Config, error) { return config.LoadDefaultConfig(ctx) }
	c.parameters.build = func(ctx context.Context) (*ssm.Parameters, error) {
		cfg, err := c.config.get(ctx)
		if err != nil {
			return nil, err
		}
		return ssm.New(awsssm.NewFromConfig(cfg)), nil
	}
	c.sqs.build = func(ctx context.Context) (*awssqs.Client, error) {
		cfg, err := c.config.get(ctx)
		if err != nil {
			return nil, err
		}
		return awssqs.NewFromConfig(cfg, func(o *awssqs.Options) {
			// A FIFO queue answers a deduplicated send with the first
			// copy's checksum, which the SDK would take for corruption:
			// the copy differs in when it was accepted. TLS guards the
			// bytes.
			o.DisableMessageChecksumValidation = true
		}), nil
	}
	c.dynamodb.build = func(ctx context.Context) (*awsdynamodb.Client, error) {
		cfg, err := c.config.get(ctx)
		if err != nil {
			return nil, err
		}
		return awsdynamodb.NewFromConfig(cfg), nil
	}
	return c
}

// lazy builds a value on first use and keeps it; a failed build is tried
// again on the next use.
type lazy[T any] struct {
	build func(context.Context) (T, error)

	mu    sync.Mutex
	value T
	built bool
}

func (l *lazy[T]) get(ctx context.Context) (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.built {
		return l.value, nil
	}
	v, err := l.build(ctx)
	if err == nil {
		l.value, l.built = v, true
	}
	return v, err
}
