package dynamodbtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/store/dynamodb"
)

var tables atomic.Int64

// Client is a real SDK client for the emulator at endpoint.
func Client(endpoint string) *awsdynamodb.Client {
	return awsdynamodb.New(awsdynamodb.Options{
		Region:       "ap-northeast-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
		DisableValidateResponseChecksum: true, // kumo sends no CRC32 header
	})
}

// CreateTable creates a state table with a name of its own and returns
// the name.
func CreateTable(t testing.TB, endpoint string) string {
	t.Helper()
	c := Client(endpoint)
	name := fmt.Sprintf("relay-state-%d", tables.Add(1))
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &awsdynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(dynamodb.PartitionKey), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(dynamodb.SortKey), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(dynamodb.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(dynamodb.SortKey), KeyType: types.KeyTypeRange},
		},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	if _, err := c.UpdateTimeToLive(ctx, &awsdynamodb.UpdateTimeToLiveInput{TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(dynamodb.TTLAttribute), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatalf("UpdateTimeToLive: %v", err)
	}
	return name
}
