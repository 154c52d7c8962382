// Package message turns Clockify events into the Discord messages people
// read. All wording for one language lives in one file (ja.go, en.go):
// adding a language means adding a file and a line to languages.
//
// Must not import: queue, deliver, accept/relay, store/dynamodb,
// schedule/digest/report, schedule/digest/chart.
package message
