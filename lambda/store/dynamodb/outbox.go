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

// A group's outbox is a partition of its own: its jobs sort by key under
// "JOB#", beside its head ("HEAD"), which holds its last delivery. Parked
// jobs leave as soon as they are delivered; they carry no TTL.
const (
	outboxPrefix = "OUTBOX#"
	outboxJobSK  = "JOB#"
	outboxHeadSK = "HEAD"
	parkedAttr   = "parked"
	lastAttr     = "last" // Unix milliseconds
)

var _ queue.Outbox = (*Outbox)(nil)

// Park keeps jobs in group's outbox, side by side.
func (t *Outbox) Park(ctx context.Context, group string, jobs []queue.Parked) error {
	keys := make([]string, len(jobs))
	byKey := map[string]queue.Parked{}
	for i, p := range jobs {
		keys[i], byKey[p.Key] = p.Key, p
	}
	return each(keys, func(k string) error {
		return t.put(ctx, key(outboxPrefix+group, outboxJobSK+k), parkedAttr, byKey[k])
	})
}

// Parked is group's outbox: up to n jobs in key order, and its last
// delivery, in one consistent Query of its partition (its head sorts
// before its jobs).
func (t *Outbox) Parked(ctx context.Context, group string, n int) (last time.Time, jobs []queue.Parked, err error) {
	c, err := t.client(ctx)
	if err != nil {
		return last, nil, err
	}
	out, err := c.Query(ctx, &awsdynamodb.QueryInput{
		TableName:                 aws.String(t.name),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": PartitionKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: outboxPrefix + group}},
		ConsistentRead:            aws.Bool(true),
		Limit:                     aws.Int32(int32(n + 1)), // the head, and n jobs
	})
	if err != nil {
		return last, nil, err
	}
	for _, item := range out.Items {
		if sk, _ := item[SortKey].(*types.AttributeValueMemberS); sk != nil && sk.Value == outboxHeadSK {
			v, _ := item[lastAttr].(*types.AttributeValueMemberN)
			if v == nil {
				continue
			}
			ms, err := strconv.ParseInt(v.Value, 10, 64)
			if err != nil {
				return last, nil, err
			}
			last = time.UnixMilli(ms)
			continue
		}
		var p queue.Parked
		if err := attrJSON(item, parkedAttr, &p); err != nil {
			return last, nil, err
		}
		jobs = append(jobs, p)
	}
	return last, jobs[:min(len(jobs), n)], nil
}

// Unpark forgets the jobs with these keys, side by side.
func (t *Outbox) Unpark(ctx context.Context, group string, keys []string) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	return each(keys, func(k string) error {
		_, err := c.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: key(outboxPrefix+group, outboxJobSK+k)})
		return err
	})
}

// Sent records when group's last delivery went out.
func (t *Outbox) Sent(ctx context.Context, group string, at time.Time) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	item := key(outboxPrefix+group, outboxHeadSK)
	item[lastAttr] = &types.AttributeValueMemberN{Value: strconv.FormatInt(at.UnixMilli(), 10)}
	_, err = c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: item})
	return err
}
