package dynamodb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// change reads the item at k, gives f what its attribute attr holds (JSON
// of T; nil when there is no item), and writes what f returns, with
// expires as the TTL, only if attr still holds what was read: when
// another writer came first, it reads again. f returning old itself, or
// nil, writes nothing.
func change[T any](ctx context.Context, t *Table, k map[string]types.AttributeValue, attr string, expires func(*T) time.Time, f func(old *T) *T) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	for range tries {
		got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: k, ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		var old *T
		oldJSON := ""
		if v, ok := got.Item[attr].(*types.AttributeValueMemberS); ok {
			old, oldJSON = new(T), v.Value
			if err := json.Unmarshal([]byte(v.Value), old); err != nil {
				return err
			}
		}
		next := f(old)
		if next == nil || next == old {
			return nil
		}
		raw, _ := json.Marshal(next)
		item := maps.Clone(k)
		item[attr] = &types.AttributeValueMemberS{Value: string(raw)}
		item[TTLAttribute] = unix(expires(next))
		_, err = c.PutItem(ctx, conditional(&awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: item}, attr, oldJSON))
		var lost *types.ConditionalCheckFailedException
		if !errors.As(err, &lost) {
			return err
		}
	}
	pk, _ := k[PartitionKey].(*types.AttributeValueMemberS)
	sk, _ := k[SortKey].(*types.AttributeValueMemberS)
	return fmt.Errorf("dynamodb: %s/%s kept changing under %d tries", pk.Value, sk.Value, tries)
}
