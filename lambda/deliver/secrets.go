package deliver

import (
	"context"

	"clockify-discord-relay/lambda/secrets"
)

// readSecrets reads the routes' webhooks, once a delivery.
type readSecrets struct{ source secrets.Source }

func (r *readSecrets) run(ctx context.Context, b *batch) bool {
	sec, err := r.source.Secrets(ctx)
	if err != nil {
		return b.retryAll(err)
	}
	b.sec = sec
	return true
}
