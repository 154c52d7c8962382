package samples

import (
	"path/filepath"
	"strings"
)

// Prefixes of the samples that are not Clockify's webhooks.
const (
	SQSPrefix      = "sqs-"      // the delivery function's SQS batches
	SchedulePrefix = "schedule-" // scheduled events
)

// Webhooks lists the API Gateway samples in dir (events/): Clockify's
// webhooks, one file each, sorted.
func Webhooks(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		if IsWebhook(f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// IsWebhook reports whether the sample file is an API Gateway event, by
// its name.
func IsWebhook(file string) bool {
	base := filepath.Base(file)
	return strings.HasSuffix(base, ".json") && !strings.HasPrefix(base, SQSPrefix) &&
		!strings.HasPrefix(base, SchedulePrefix) && base != "env.json"
}
