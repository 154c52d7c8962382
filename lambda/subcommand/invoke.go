package subcommand

import (
	"clockify-discord-relay/lambda/settings"
	"context"
	"fmt"
	"os"
)

// Invoke runs one event file through the Lambda handler, as sam local
// invoke would, and prints the answer.
func Invoke(ctx context.Context, p Parts, file string) error {
	payload, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	p.warnUnsigned()
	q, err := p.API()
	if err != nil {
		return err
	}
	defer q.Close()
	out, err := p.Lambda(q).Invoke(ctx, payload)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(p.Out, "%s\n", out); err != nil {
		return err
	}
	return q.Outcome()
}

// warnUnsigned says, before a Lambda event runs here, that it runs
// without Clockify's signing secret.
func (p Parts) warnUnsigned() {
	if !p.Settings.SigningConfigured() {
		p.Logger.Warn(settings.UnsignedWarning)
	}
}
