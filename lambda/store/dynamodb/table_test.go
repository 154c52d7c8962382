package dynamodb_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sivchari/kumo"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/dynamodb"
	"clockify-discord-relay/lambda/store/dynamodb/dynamodbtest"
)

// newTable creates the state table in kumo.
func newTable(t *testing.T) (*dynamodb.Table, *awsdynamodb.Client, string) {
	t.Helper()
	srv := kumo.NewServer()
	t.Cleanup(srv.Close)
	name := dynamodbtest.CreateTable(t, srv.URL)
	c := dynamodbtest.Client(srv.URL)
	return dynamodb.New(func(context.Context) (*awsdynamodb.Client, error) { return c, nil }, name), c, name
}

func TestTableConformance(t *testing.T) {
	table, _, _ := newTable(t)
	statetest.Conformance(t, table.State)
}

// TestTableSetsTheTTL: every entry item carries its expiry, so DynamoDB
// deletes it after a week.
func TestTableSetsTheTTL(t *testing.T) {
	table, c, name := newTable(t)
	now := time.Now().Truncate(time.Second)
	if _, err := table.State.Apply(context.Background(), "a", "", statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", now), now); err != nil {
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

// TestDedupeConformance: the API function's dedupe over the table
// follows the same rule as the local store.
func TestDedupeConformance(t *testing.T) {
	table, _, _ := newTable(t)
	now := time.Now().Truncate(time.Second)
	d := queue.Deduped{Queue: &queuetest.Recorder{}, Keys: table.Keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	queuetest.DedupeConformance(t, d, func(d time.Duration) { now = now.Add(d) })
	if got, _ := table.State.Running(context.Background(), dynamodb.DedupPrefix+"e1", now); len(got) != 0 {
		t.Errorf("a key reads as a running timer: %+v", got)
	}
}

func TestLedgerConformance(t *testing.T) {
	table, _, _ := newTable(t)
	statetest.LedgerConformance(t, table.State)
}

func TestPlacesConformance(t *testing.T) {
	table, _, _ := newTable(t)
	statetest.PlacesConformance(t, table.State)
}

func TestJournalConformance(t *testing.T) {
	table, _, _ := newTable(t)
	queuetest.JournalConformance(t, table.Journal)
}

func TestOutboxConformance(t *testing.T) {
	table, _, _ := newTable(t)
	queuetest.OutboxConformance(t, table.Outbox)
}
