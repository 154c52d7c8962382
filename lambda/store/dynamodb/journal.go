package dynamodb

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/queue"
)

// journalSK is the sort key of a job's send mark; its partition is the
// send id, so marks spread over the table.
const (
	journalSK   = "SEND"
	journalAttr = "mark"
)

var _ queue.Journal = (*Journal)(nil)

func journalKey(id string) map[string]types.AttributeValue {
	return key(journalSK+"#"+id, journalSK)
}

// Marks reads the marks of ids, one consistent read each, side by side (a
// batch holds at most 10 jobs).
func (t *Journal) Marks(ctx context.Context, ids []string) (map[string]queue.Mark, error) {
	c, err := t.client(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]queue.Mark{}
	var mu sync.Mutex
	err = each(ids, func(id string) error {
		got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: journalKey(id), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		if v, ok := got.Item[journalAttr].(*types.AttributeValueMemberS); ok {
			mu.Lock()
			out[id] = queue.Mark(v.Value)
			mu.Unlock()
		}
		return nil
	})
	return out, err
}

// SetMarks records m for ids (Unsent deletes them), side by side.
func (t *Journal) SetMarks(ctx context.Context, ids []string, m queue.Mark, now time.Time) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	return each(ids, func(id string) error {
		if m == queue.Unsent {
			_, err := c.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: journalKey(id)})
			return err
		}
		item := journalKey(id)
		item[journalAttr] = &types.AttributeValueMemberS{Value: string(m)}
		item[TTLAttribute] = unix(now.Add(queue.JournalTTL))
		_, err := c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: item})
		return err
	})
}

// each runs f for every id at once and joins the errors.
func each(ids []string, f func(string) error) error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { errs[i] = f(id) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
