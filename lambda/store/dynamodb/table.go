package dynamodb

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

// Attribute names, as template.yaml declares the table.
const (
	PartitionKey = "pk"      // the destination
	SortKey      = "sk"      // "SESSION#<entry id>" or "BOARD"
	TTLAttribute = "expires" // Unix seconds; DynamoDB deletes the item after
	recordAttr   = "record"  // a state.Record, as JSON
	boardAttr    = "message" // the board's message id
	sessionSK    = "SESSION#"
	boardSK      = "BOARD"
	// tries bounds the conditional writes that lose to a concurrent one.
	tries = 5
)

// ClientFunc gives the DynamoDB client, built on first use.
type ClientFunc func(ctx context.Context) (*awsdynamodb.Client, error)

// Table is the state table.
type Table struct {
	client ClientFunc
	name   string

	// Each contract in a type of its own.
	State   State
	Journal *Journal
	Keys    *Keys
	Outbox  *Outbox
}

// State is the relay's memory (state.Store): the running timers, where
// entries and channels are, and the ledger.
type State struct {
	*Sessions
	*Places
	*Bookings
}

var _ state.Store = State{}

// Sessions are the channels' running timers and boards.
type Sessions struct{ *Table }

// Places say where entries, routes and channels are.
type Places struct{ *Table }

// Bookings are the channels' ledger of booked time, for digests.
type Bookings struct{ *Table }

// Journal marks each job's send (queue.Journal).
type Journal struct{ *Table }

// Keys remember each entry's latest accepted change (queue.Keys).
type Keys struct{ *Table }

// Outbox holds jobs parked for their group (queue.Outbox).
type Outbox struct{ *Table }

// New uses the table called name.
func New(client ClientFunc, name string) *Table {
	t := &Table{client: client, name: name}
	t.State = State{&Sessions{t}, &Places{t}, &Bookings{t}}
	t.Journal, t.Keys, t.Outbox = &Journal{t}, &Keys{t}, &Outbox{t}
	return t
}

func key(dest, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		PartitionKey: &types.AttributeValueMemberS{Value: dest},
		SortKey:      &types.AttributeValueMemberS{Value: sk},
	}
}

// Apply applies state.Transition to the entry's record.
func (t *Sessions) Apply(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) (bool, error) {
	changed := false
	err := change(ctx, t.Table, key(dest, sessionSK+ev.Entry.ID), recordAttr, func(r *state.Record) time.Time { return r.Expires }, func(old *state.Record) *state.Record {
		var next *state.Record
		next, changed = state.Transition(old, ev, route, now)
		return next
	})
	return changed, err
}

// Forgotten scans the table for timers running since before
// startedBefore, not reminded of yet. The table holds a week of entries at
// most: a scan is cheap.
func (t *Sessions) Forgotten(ctx context.Context, startedBefore, now time.Time) ([]state.Forgotten, error) {
	c, err := t.client(ctx)
	if err != nil {
		return nil, err
	}
	var out []state.Forgotten
	p := awsdynamodb.NewScanPaginator(c, &awsdynamodb.ScanInput{TableName: aws.String(t.name), ConsistentRead: aws.Bool(true)})
	err = eachRecord(ctx, p, func(o *awsdynamodb.ScanOutput) []map[string]types.AttributeValue { return o.Items }, func(dest string, r state.Record) {
		if r.IsForgotten(startedBefore, now) {
			out = append(out, state.Forgotten{Dest: dest, Route: r.Route, Session: r.Session})
		}
	})
	return out, err
}

// pages is a Scan or Query paginator.
type pages[O any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*awsdynamodb.Options)) (O, error)
}

// eachRecord calls f with each entry record the pages hold, and the
// destination (partition) it is under; other items are skipped.
func eachRecord[O any](ctx context.Context, p pages[O], items func(O) []map[string]types.AttributeValue, f func(dest string, r state.Record)) error {
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, item := range items(page) {
			r, ok, err := record(item)
			if err != nil {
				return err
			}
			if pk, _ := item[PartitionKey].(*types.AttributeValueMemberS); ok && pk != nil {
				f(pk.Value, r)
			}
		}
	}
	return nil
}

// MarkReminded sets the entry's reminded flag, once: the write is
// conditional on the record read, so of two callers one wins, and the
// other, reading again, finds it set.
func (t *Sessions) MarkReminded(ctx context.Context, dest, entryID string) (bool, error) {
	won := false
	err := t.changeSession(ctx, dest, entryID, func(r *state.Record) bool {
		won = !r.Reminded && !r.Stopped
		r.Reminded = true
		return won
	})
	return won && err == nil, err
}

// Announce records the message that announced the entry's start.
func (t *Sessions) Announce(ctx context.Context, dest, entryID, messageID string) error {
	return t.changeSession(ctx, dest, entryID, func(r *state.Record) bool {
		r.Announced = messageID
		return true
	})
}

// changeSession changes an existing entry record; f changes its copy and
// reports whether to write it.
func (t *Sessions) changeSession(ctx context.Context, dest, entryID string, f func(*state.Record) bool) error {
	return change(ctx, t.Table, key(dest, sessionSK+entryID), recordAttr, func(r *state.Record) time.Time { return r.Expires }, func(old *state.Record) *state.Record {
		if old == nil {
			return nil
		}
		next := *old
		if !f(&next) {
			return old
		}
		return &next
	})
}

// Entry is the entry's record, nil when there is none.
func (t *Sessions) Entry(ctx context.Context, dest, entryID string) (*state.Record, error) {
	c, err := t.client(ctx)
	if err != nil {
		return nil, err
	}
	got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: key(dest, sessionSK+entryID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	r, ok, err := record(got.Item)
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

// record reads an entry item's record; ok is false for other items.
func record(item map[string]types.AttributeValue) (state.Record, bool, error) {
	var r state.Record
	v, ok := item[recordAttr].(*types.AttributeValueMemberS)
	if !ok {
		return r, false, nil
	}
	return r, true, json.Unmarshal([]byte(v.Value), &r)
}

// Running lists dest's running timers, oldest first. Expired items may
// still be read (TTL deletes within days), so they are left out here.
func (t *Sessions) Running(ctx context.Context, dest string, now time.Time) ([]state.Session, error) {
	c, err := t.client(ctx)
	if err != nil {
		return nil, err
	}
	var out []state.Session
	p := awsdynamodb.NewQueryPaginator(c, &awsdynamodb.QueryInput{
		TableName:              aws.String(t.name),
		KeyConditionExpression: aws.String("#pk = :dest AND begins_with(#sk, :session)"),
		ExpressionAttributeNames: map[string]string{
			"#pk": PartitionKey, "#sk": SortKey,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":dest": &types.AttributeValueMemberS{Value: dest}, ":session": &types.AttributeValueMemberS{Value: sessionSK},
		},
		ConsistentRead: aws.Bool(true),
	})
	err = eachRecord(ctx, p, func(o *awsdynamodb.QueryOutput) []map[string]types.AttributeValue { return o.Items }, func(_ string, r state.Record) {
		if !r.Stopped && !now.After(r.Expires) {
			out = append(out, r.Session)
		}
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, err
}

// Board is dest's board message.
func (t *Sessions) Board(ctx context.Context, dest string) (state.BoardMessage, error) {
	c, err := t.client(ctx)
	if err != nil {
		return state.BoardMessage{}, err
	}
	got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: key(dest, boardSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return state.BoardMessage{}, err
	}
	v, _ := got.Item[boardAttr].(*types.AttributeValueMemberS)
	if v == nil {
		return state.BoardMessage{}, nil
	}
	return state.ParseBoardMessage(v.Value)
}

// SetBoard remembers dest's board message.
func (t *Sessions) SetBoard(ctx context.Context, dest string, b state.BoardMessage) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(b)
	item := key(dest, boardSK)
	item[boardAttr] = &types.AttributeValueMemberS{Value: string(raw)}
	_, err = c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: item})
	return err
}
