package dynamodb_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sivchari/kumo"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/dynamodb"
	"clockify-discord-relay/lambda/state/statetest"
)

var tables atomic.Int64

// newTable creates the state table in kumo, as template.yaml declares it.
func newTable(t *testing.T) (*dynamodb.Table, *awsdynamodb.Client, string) {
	t.Helper()
	srv := kumo.NewServer()
	t.Cleanup(srv.Close)
	c := awsdynamodb.New(awsdynamodb.Options{
		Region:       "ap-northeast-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
		DisableValidateResponseChecksum: true, // kumo sends no CRC32 header
	})
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
	return dynamodb.New(func(context.Context) (*awsdynamodb.Client, error) { return c, nil }, name), c, name
}

func TestTableConformance(t *testing.T) {
	table, _, _ := newTable(t)
	statetest.Conformance(t, table)
}

// TestTableSetsTheTTL: every entry item carries its expiry, so DynamoDB
// deletes it after a week.
func TestTableSetsTheTTL(t *testing.T) {
	table, c, name := newTable(t)
	now := time.Now().Truncate(time.Second)
	if _, err := table.Apply(context.Background(), "a", statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", now), now); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetItem(context.Background(), &awsdynamodb.GetItemInput{TableName: aws.String(name), Key: map[string]types.AttributeValue{
		dynamodb.PartitionKey: &types.AttributeValueMemberS{Value: "a"}, dynamodb.SortKey: &types.AttributeValueMemberS{Value: "SESSION#e1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ttl, ok := got.Item[dynamodb.TTLAttribute].(*types.AttributeValueMemberN)
	if !ok || ttl.Value != strconv.FormatInt(now.Add(7*24*time.Hour).Unix(), 10) {
		t.Errorf("TTL attribute %+v", got.Item[dynamodb.TTLAttribute])
	}
}
