package dynamodb

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"clockify-discord-relay/lambda/state"
)

// Where things are shown. A channel's item is under its partition (the
// API function reads it with a Query, which its role allows there); a
// route's and an entry's have partitions of their own.
const (
	channelSK   = "CHANNEL"
	channelAttr = "channel"
	routePrefix = "ROUTE#"
	routeSK     = "ROUTE"
	placePrefix = "PLACE#"
	placeSK     = "PLACE"
	placeAttr   = "place"
)

var _ state.Places = (*Places)(nil)

// Channel is what is known of dest's channel: a Query of one item, as
// the API function's role may query a channel's partition and no more.
func (t *Places) Channel(ctx context.Context, dest string) (state.Channel, bool, error) {
	var ch state.Channel
	c, err := t.client(ctx)
	if err != nil {
		return ch, false, err
	}
	out, err := c.Query(ctx, &awsdynamodb.QueryInput{
		TableName:                aws.String(t.name),
		KeyConditionExpression:   aws.String("#pk = :dest AND #sk = :sk"),
		ExpressionAttributeNames: map[string]string{"#pk": PartitionKey, "#sk": SortKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":dest": &types.AttributeValueMemberS{Value: dest}, ":sk": &types.AttributeValueMemberS{Value: channelSK},
		},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil || len(out.Items) == 0 {
		return ch, false, err
	}
	return ch, true, attrJSON(out.Items[0], channelAttr, &ch)
}

// SetChannel records what is known of dest's channel.
func (t *Places) SetChannel(ctx context.Context, dest string, ch state.Channel) error {
	return t.put(ctx, key(dest, channelSK), channelAttr, ch)
}

// RouteChannel is where route posts, as last learned.
func (t *Places) RouteChannel(ctx context.Context, route string) (state.RouteChannel, bool, error) {
	var rc state.RouteChannel
	found, err := t.get(ctx, key(routePrefix+route, routeSK), channelAttr, &rc)
	return rc, found, err
}

// SetRouteChannel records where route posts.
func (t *Places) SetRouteChannel(ctx context.Context, route string, rc state.RouteChannel) error {
	return t.put(ctx, key(routePrefix+route, routeSK), channelAttr, rc)
}

// Placement is where entryID is shown.
func (t *Places) Placement(ctx context.Context, entryID string) (state.Placement, error) {
	var p state.Placement
	_, err := t.get(ctx, key(placePrefix+entryID, placeSK), placeAttr, &p)
	return p, err
}

// Place records where a change of entryID lands (state.Replace), on the
// condition that the placement read is still there.
func (t *Places) Place(ctx context.Context, entryID string, p state.Placement) (state.Placement, bool, error) {
	var held state.Placement
	placed := false
	err := change(ctx, t.Table, key(placePrefix+entryID, placeSK), placeAttr, expiry, func(old *state.Placement) *state.Placement {
		next, ok := state.Replace(old, p)
		held, placed = *next, ok
		return next
	})
	return held, placed, err
}

// Departed takes left off entryID's channels to leave.
func (t *Places) Departed(ctx context.Context, entryID string, left []state.Departure) error {
	return change(ctx, t.Table, key(placePrefix+entryID, placeSK), placeAttr, expiry, func(old *state.Placement) *state.Placement {
		return state.Depart(old, left)
	})
}

func expiry(p *state.Placement) time.Time { return p.Expires }

// Forget removes entryID's running timer and ledger record from dest.
func (t *Places) Forget(ctx context.Context, dest, entryID string) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	for _, sk := range []string{sessionSK + entryID, ledgerSK + entryID} {
		if _, err := c.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: key(dest, sk)}); err != nil {
			return err
		}
	}
	return nil
}

// get reads the item at k's attribute attr (JSON) into v.
func (t *Table) get(ctx context.Context, k map[string]types.AttributeValue, attr string, v any) (bool, error) {
	c, err := t.client(ctx)
	if err != nil {
		return false, err
	}
	got, err := c.GetItem(ctx, &awsdynamodb.GetItemInput{TableName: aws.String(t.name), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil || got.Item == nil {
		return false, err
	}
	return true, attrJSON(got.Item, attr, v)
}

// put writes v as JSON to k's attribute attr. Channels and routes are
// few, and kept without a TTL.
func (t *Table) put(ctx context.Context, k map[string]types.AttributeValue, attr string, v any) error {
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	k[attr] = &types.AttributeValueMemberS{Value: string(raw)}
	_, err = c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: k})
	return err
}

func attrJSON(item map[string]types.AttributeValue, attr string, v any) error {
	s, ok := item[attr].(*types.AttributeValueMemberS)
	if !ok {
		return nil
	}
	return json.Unmarshal([]byte(s.Value), v)
}

// Adopt moves the items of from's partition to the channel to: each one
// that to has none of (a conditional put), then the board, then deletes
// them from from. A crash between leaves from's copy, which the next
// Adopt moves again.
func (t *Places) Adopt(ctx context.Context, from, to string) error {
	if from == to {
		return nil
	}
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	p := awsdynamodb.NewQueryPaginator(c, &awsdynamodb.QueryInput{
		TableName:                 aws.String(t.name),
		KeyConditionExpression:    aws.String("#pk = :from"),
		ExpressionAttributeNames:  map[string]string{"#pk": PartitionKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":from": &types.AttributeValueMemberS{Value: from}},
		ConsistentRead:            aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, item := range page.Items {
			sk, _ := item[SortKey].(*types.AttributeValueMemberS)
			if sk == nil {
				continue
			}
			if sk.Value == boardSK {
				if err := t.adoptBoard(ctx, from, to); err != nil {
					return err
				}
				continue
			}
			moved := maps.Clone(item)
			moved[PartitionKey] = &types.AttributeValueMemberS{Value: to}
			_, err := c.PutItem(ctx, &awsdynamodb.PutItemInput{TableName: aws.String(t.name), Item: moved,
				ConditionExpression: aws.String("attribute_not_exists(" + SortKey + ")")})
			var taken *types.ConditionalCheckFailedException
			if err != nil && !errors.As(err, &taken) {
				return err
			}
			if _, err := c.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: key(from, sk.Value)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// adoptBoard joins from's board to to's (state.AdoptBoard).
func (t *Places) adoptBoard(ctx context.Context, from, to string) error {
	adopted, err := t.State.Board(ctx, from)
	if err != nil {
		return err
	}
	kept, err := t.State.Board(ctx, to)
	if err != nil {
		return err
	}
	if err := t.State.SetBoard(ctx, to, state.AdoptBoard(kept, adopted)); err != nil {
		return err
	}
	c, err := t.client(ctx)
	if err != nil {
		return err
	}
	_, err = c.DeleteItem(ctx, &awsdynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: key(from, boardSK)})
	return err
}
