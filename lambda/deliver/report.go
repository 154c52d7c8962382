package deliver

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue"
)

// Report is one Discord message's record.
type Report struct {
	State    queue.State // of the jobs it carried
	Events   []string    // their event types, in order
	EntryIDs []string
	Delivery discord.Delivery
	Latency  time.Duration // sending, retries included
	Hold     time.Duration // how long Discord asked to wait
	Oldest   time.Duration // the age of its oldest job when it was sent
	Err      error         // never holds a secret
}

// log writes the message's one line; the text itself only at debug level.
func (d *poster) log(ctx context.Context, r Report) {
	attrs := []slog.Attr{
		slog.String("outcome", r.State.String()),
		slog.Any("events", r.Events),
		slog.Any("entryIds", r.EntryIDs),
		slog.Int("discordAttempts", r.Delivery.Attempts),
		slog.Int("discord429s", r.Delivery.RateLimited),
		slog.Float64("deliveryMs", milliseconds(r.Latency)),
		slog.Float64("ageMs", milliseconds(r.Oldest)),
	}
	if r.Hold > 0 {
		attrs = append(attrs, slog.Float64("waitMs", milliseconds(r.Hold)))
	}
	level := slog.LevelInfo
	if r.Err != nil {
		attrs = append(attrs, slog.String("error", r.Err.Error()))
		level = slog.LevelWarn
		if r.State == queue.Dead {
			level = slog.LevelError
		}
	}
	d.logger.LogAttrs(ctx, level, "discord message", attrs...)
}

func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
