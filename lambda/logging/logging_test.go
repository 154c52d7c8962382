package logging_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"clockify-discord-relay/lambda/logging"
)

func TestLambdaShape(t *testing.T) {
	var buf bytes.Buffer
	logging.New(&buf, slog.LevelInfo).Info("request", "requestId", "r-1", "outcome", "delivered", slog.Duration("running", 11*time.Hour+5*time.Minute))
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", buf.String())
	}
	for key, want := range map[string]any{"level": "INFO", "message": "request", "requestId": "r-1", "outcome": "delivered", "running": "11h5m0s"} {
		if line[key] != want {
			t.Errorf("%s = %v, want %v", key, line[key], want)
		}
	}
	if _, ok := line["timestamp"]; !ok {
		t.Errorf("no timestamp: %v", line)
	}
	if _, ok := line["msg"]; ok {
		t.Errorf("slog's own keys remain: %v", line)
	}
}

func TestLevels(t *testing.T) {
	for in, want := range map[string]slog.Level{"": slog.LevelInfo, "debug": slog.LevelDebug, "TRACE": slog.LevelDebug, "warn": slog.LevelWarn, "Error": slog.LevelError, "FATAL": slog.LevelError} {
		if got, err := logging.ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := logging.ParseLevel("loud"); err == nil {
		t.Error("ParseLevel accepted loud")
	}
	var buf bytes.Buffer
	logger := logging.New(&buf, slog.LevelWarn)
	logger.Info("hidden")
	logger.Warn("shown")
	if bytes.Contains(buf.Bytes(), []byte("hidden")) || !bytes.Contains(buf.Bytes(), []byte("shown")) {
		t.Errorf("level not applied: %s", buf.String())
	}
}
