package deliver

import (
	"context"
	"log/slog"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/summary"
)

// digest is a digest job's message, with its chart attached. A chart that
// cannot be drawn is logged, and the digest goes without it.
func (d *formatter) digest(ctx context.Context, s summary.Summary) discord.Message {
	lang := d.opts.Language
	msg := report.Message(s, lang)
	if !d.opts.AllowLinks {
		msg.Defang()
	}
	png, err := d.drawChart(s, report.Labels(s, lang))
	if err != nil {
		d.logger.ErrorContext(ctx, "the digest's chart was not drawn: the digest goes without it", slog.String("period", s.Period.Name()), slog.String("error", err.Error()))
		return msg
	}
	report.Attach(&msg, png)
	return msg
}
