package dynamodb

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/queue"
)

// DedupPrefix begins the partition key of every item the API function
// writes: an entry's latest accepted change. Its role may touch only
// these (dynamodb:LeadingKeys in template.yaml).
const (
	DedupPrefix = "DEDUP#"
	dedupSK     = "DEDUP"
	latestAttr  = "latest"
)

var _ queue.Keys = (*Keys)(nil)

// Latest is the key of entry's latest accepted change, "" when none or
// expired (TTL deletes late, so the expiry is checked here).
func (t *Keys) Latest(ctx context.Context, entry string, now time.Time) (queue.Latest, error) {
	var l queue.Latest
	c, err := t.client(ctx)
	if err != nil {
		return l, err
	}
	got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: dedupKey(entry), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return l, err
	}
	until, _ := got.Item[TTLAttribute].(*types.AttributeValueMemberN)
	raw, _ := got.Item[latestAttr].(*types.AttributeValueMemberS)
	if until == nil || raw == nil {
		return l, nil
	}
	unix, err := strconv.ParseInt(until.Value, 10, 64)
	if err != nil || now.Unix() >= unix {
		return l, err
	}
	err = json.Unmarshal([]byte(raw.Value), &l)
	return l, err
}

// SetLatest remembers l for entry until the given time.
func (t *Keys) SetLatest(ctx context.Context, entry string, l queue.Latest, until time.Time) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(l)
	item := dedupKey(entry)
	item[latestAttr] = &types.AttributeValueMemberS{Value: string(raw)}
	item[TTLAttribute] = unix(until)
	_, err = c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: item})
	return err
}

func dedupKey(entry string) map[string]types.AttributeValue {
	return key(DedupPrefix+entry, dedupSK)
}
