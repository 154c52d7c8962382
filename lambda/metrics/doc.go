// Package metrics counts what the relay does as CloudWatch metrics, by
// printing them in the Embedded Metric Format: one JSON line per request,
// which CloudWatch Logs turns into metrics, with no API call.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
//
// Must not import: local, subcommand, settings, store/dynamodb,
// store/localstore.
package metrics
