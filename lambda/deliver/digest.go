package deliver

import (
	"context"
	"log/slog"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/summary"
)

// ChartFile is the digest chart's name in the message.
const ChartFile = "digest.png"

// digest is a digest job's message, with its chart attached. A chart that
// cannot be drawn is logged, and the digest goes without it.
func (d *formatter) digest(ctx context.Context, s summary.Summary) discord.Message {
	lang := d.opts.Language
	msg := message.Digest(s, lang)
	if !d.opts.AllowLinks {
		msg.Defang()
	}
	png, err := d.drawChart(s, message.ChartLabels(s, lang))
	if err != nil {
		d.logger.ErrorContext(ctx, "the digest's chart was not drawn: the digest goes without it", slog.String("period", s.Period.Name()), slog.String("error", err.Error()))
		return msg
	}
	message.DigestImage(&msg, discord.File{Name: ChartFile, ContentType: "image/png", Data: png})
	return msg
}
