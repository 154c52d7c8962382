package subcommand

import (
	"context"
	"io"
	"log/slog"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule/remind"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/settings"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/choice"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

// Parts are what the commands use, built by main from the settings.
type Parts struct {
	Out      io.Writer
	Logger   *slog.Logger
	Settings settings.Settings
	Secrets  secrets.Source
	// Printing: no webhook is set, and messages are printed, a preview.
	Printing bool
	// Store is STATE_TABLE's state, else DATA_DIR's, and what closes it.
	Store func() (state.Store, func(), error)
	// Local is DATA_DIR's store, or the serving relay's, and what closes it.
	Local func() (*localstore.Store, func(), error)
	// Jobs is where jobs made from st go, delivered before the command
	// ends when no worker would deliver them.
	Jobs func(st state.Store) (*choice.Jobs, error)
	// API is the API function's queue, and Lambda the function's handler
	// enqueueing into it.
	API    func() (*choice.Jobs, error)
	Lambda func(q queue.Queue) Invoker
	// SQS is the SQS client, for the dead-letter queue.
	SQS sqs.ClientFunc
	// Reminder checks st's timers, posting into q; nil when reminders
	// are off.
	Reminder func(st state.Store, q queue.Queue) *remind.Reminder
}

// Invoker runs one Lambda event (invocation.Handler).
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}
