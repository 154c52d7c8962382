package dynamodb

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/queue"
)

// dedupSK is the sort key of a remembered job key; its partition is the
// key itself, so keys spread over the table.
const dedupSK = "DEDUP"

var _ queue.Keys = (*Table)(nil)

// Seen reports whether the job key was remembered and has not expired.
func (t *Table) Seen(ctx context.Context, key string, now time.Time) (bool, error) {
	c, err := t.client(ctx)
	if err != nil {
		return false, err
	}
	got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: dedupKey(key), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, err
	}
	until, ok := got.Item[TTLAttribute].(*types.AttributeValueMemberN)
	if !ok {
		return false, nil
	}
	unix, err := strconv.ParseInt(until.Value, 10, 64)
	return err == nil && now.Unix() < unix, err
}

// Remember keeps the job key until the given time (TTL deletes it after).
func (t *Table) Remember(ctx context.Context, key string, until time.Time) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	item := dedupKey(key)
	item[TTLAttribute] = &types.AttributeValueMemberN{Value: strconv.FormatInt(until.Unix(), 10)}
	_, err = c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: item})
	return err
}

func dedupKey(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		PartitionKey: &types.AttributeValueMemberS{Value: dedupSK + "#" + key},
		SortKey:      &types.AttributeValueMemberS{Value: dedupSK},
	}
}
