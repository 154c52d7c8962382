package awsclients

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"clockify-discord-relay/lambda/store/ssm"
)

// Clients are the relay's AWS clients, each built on first use.
type Clients struct {
	config     lazy[aws.Config]
	parameters lazy[*ssm.Parameters]
	sqs        lazy[*awssqs.Client]
	dynamodb   lazy[*awsdynamodb.Client]
}

// New is clients not built yet.
func New() *Clients {
	c := &Clients{}
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

// Parameters is the SSM Parameter Store reader.
func (c *Clients) Parameters(ctx context.Context) (*ssm.Parameters, error) {
	return c.parameters.get(ctx)
}

// SQS is the SQS client.
func (c *Clients) SQS(ctx context.Context) (*awssqs.Client, error) { return c.sqs.get(ctx) }

// DynamoDB is the DynamoDB client.
func (c *Clients) DynamoDB(ctx context.Context) (*awsdynamodb.Client, error) {
	return c.dynamodb.get(ctx)
}
