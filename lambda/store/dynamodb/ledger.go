package dynamodb

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

const (
	ledgerSK  = "ENTRY#" // a state.LedgerRecord, under its destination
	claimSK   = "CLAIM#" // a digest that went out
	entryAttr = "entry"  // the LedgerRecord, as JSON
)

var _ state.Ledger = (*Bookings)(nil)

// Book applies state.Book to the entry's ledger record.
func (t *Bookings) Book(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) error {
	return change(ctx, t.Table, key(dest, ledgerSK+ev.Entry.ID), entryAttr, func(r *state.LedgerRecord) time.Time { return r.Expires }, func(old *state.LedgerRecord) *state.LedgerRecord {
		return state.Book(old, ev, route, now)
	})
}

// conditional makes in write only over an item whose attr still holds old
// ("": only where there is no item).
func conditional(in *awsdynamodb.PutItemInput, attr, old string) *awsdynamodb.PutItemInput {
	if old == "" {
		in.ConditionExpression = aws.String("attribute_not_exists(" + SortKey + ")")
		return in
	}
	in.ConditionExpression = aws.String("#r = :old")
	in.ExpressionAttributeNames = map[string]string{"#r": attr}
	in.ExpressionAttributeValues = map[string]types.AttributeValue{":old": &types.AttributeValueMemberS{Value: old}}
	return in
}

func unix(t time.Time) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(t.Unix(), 10)}
}

// Ledger scans the table for the entries overlapping [from, to) and the
// timers running at now. It runs once a digest: a scan of 35 days of
// entries is cheap next to a query per destination it would first have to
// find.
func (t *Bookings) Ledger(ctx context.Context, from, to, now time.Time) ([]state.LedgerEntry, error) {
	c, err := t.client(ctx)
	if err != nil {
		return nil, err
	}
	p := awsdynamodb.NewScanPaginator(c, &awsdynamodb.ScanInput{
		TableName:                 aws.String(t.name),
		ConsistentRead:            aws.Bool(true),
		FilterExpression:          aws.String(ledgerFilter),
		ExpressionAttributeNames:  map[string]string{"#sk": SortKey},
		ExpressionAttributeValues: ledgerValues(),
	})
	return collectLedger(ctx, p, func(o *awsdynamodb.ScanOutput) []map[string]types.AttributeValue { return o.Items }, from, to, now)
}

// LedgerOf is Ledger for one destination: a query of its partition, so
// that a role may read the destinations' items and no others (the API
// function answers Discord's /hours with it).
func (t *Bookings) LedgerOf(ctx context.Context, dest string, from, to, now time.Time) ([]state.LedgerEntry, error) {
	c, err := t.client(ctx)
	if err != nil {
		return nil, err
	}
	values := ledgerValues()
	values[":dest"] = &types.AttributeValueMemberS{Value: dest}
	p := awsdynamodb.NewQueryPaginator(c, &awsdynamodb.QueryInput{
		TableName:                 aws.String(t.name),
		ConsistentRead:            aws.Bool(true),
		KeyConditionExpression:    aws.String("#pk = :dest"),
		FilterExpression:          aws.String(ledgerFilter),
		ExpressionAttributeNames:  map[string]string{"#pk": PartitionKey, "#sk": SortKey},
		ExpressionAttributeValues: values,
	})
	return collectLedger(ctx, p, func(o *awsdynamodb.QueryOutput) []map[string]types.AttributeValue { return o.Items }, from, to, now)
}

// ledgerFilter keeps the ledger's items and the running timers.
const ledgerFilter = "begins_with(#sk, :entry) OR begins_with(#sk, :session)"

func ledgerValues() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		":entry": &types.AttributeValueMemberS{Value: ledgerSK}, ":session": &types.AttributeValueMemberS{Value: sessionSK},
	}
}

// collectLedger reads every page of a scan or a query into entries.
func collectLedger[O any](ctx context.Context, p pages[O], items func(O) []map[string]types.AttributeValue, from, to, now time.Time) ([]state.LedgerEntry, error) {
	var out []state.LedgerEntry
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		if out, err = appendLedger(out, items(page), from, to, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendLedger adds the items' entries that overlap [from, to), and their
// timers running at now.
func appendLedger(out []state.LedgerEntry, items []map[string]types.AttributeValue, from, to, now time.Time) ([]state.LedgerEntry, error) {
	for _, item := range items {
		pk, _ := item[PartitionKey].(*types.AttributeValueMemberS)
		if pk == nil {
			continue
		}
		if v, ok := item[entryAttr].(*types.AttributeValueMemberS); ok {
			var r state.LedgerRecord
			if err := json.Unmarshal([]byte(v.Value), &r); err != nil {
				return nil, err
			}
			if !now.After(r.Expires) && r.Counts(from, to) {
				r.Entry.Dest = pk.Value
				out = append(out, r.Entry)
			}
			continue
		}
		r, ok, err := record(item)
		if err != nil {
			return nil, err
		}
		if ok && r.RunsIn(to, now) {
			out = append(out, state.RunningEntry(pk.Value, r, now))
		}
	}
	return out, nil
}

// Claim writes the claim unless one holds: a conditional write, so of two
// callers one wins.
func (t *Bookings) Claim(ctx context.Context, dest, name string, until time.Time) (bool, error) {
	c, err := t.client(ctx)
	if err != nil {
		return false, err
	}
	item := key(dest, claimSK+name)
	item[TTLAttribute] = unix(until)
	_, err = c.PutItem(ctx, &awsdynamodb.PutItemInput{
		TableName:                 aws.String(t.name),
		Item:                      item,
		ConditionExpression:       aws.String("attribute_not_exists(#sk) OR #exp < :now"),
		ExpressionAttributeNames:  map[string]string{"#sk": SortKey, "#exp": TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": unix(time.Now())},
	})
	var lost *types.ConditionalCheckFailedException
	if errors.As(err, &lost) {
		return false, nil
	}
	return err == nil, err
}

// Release deletes a claim.
func (t *Bookings) Release(ctx context.Context, dest, name string) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	_, err = c.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: key(dest, claimSK+name)})
	return err
}
