// Package logging makes the relay's logger: JSON lines in the shape
// Lambda's JSON log format reads ("timestamp", "level", "message"), so that
// the function's ApplicationLogLevel filters them and CloudWatch Logs
// Insights finds their fields.
//
// Must not import: clockify, queue, state, accept/relay, deliver.
package logging
