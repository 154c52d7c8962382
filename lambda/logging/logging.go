package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// New returns a logger writing JSON lines to w at level and above.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindDuration {
				// "11h5m0s", not 39900000000000: a person reads it.
				a.Value = slog.StringValue(a.Value.Duration().String())
			}
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				a.Key = "timestamp"
			case slog.MessageKey:
				a.Key = "message"
			}
			return a
		},
	}))
}

// ParseLevel reads LOG_LEVEL: debug, info (the default), warn or error.
// Lambda's own names (TRACE, FATAL) map to the nearest.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "TRACE", "DEBUG":
		return slog.LevelDebug, nil
	case "", "INFO":
		return slog.LevelInfo, nil
	case "WARN", "WARNING":
		return slog.LevelWarn, nil
	case "ERROR", "FATAL":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown log level %q (choose debug, info, warn or error)", s)
}
