package chart_test

import (
	"testing"

	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/summary/summarytest"
)

// BenchmarkRender: a digest's chart for the sample day, the font already
// parsed (BenchmarkParseFont is the first chart's extra).
func BenchmarkRender(b *testing.B) {
	s := summarytest.Day()
	labels := report.Labels(s, ja)
	var size int
	for b.Loop() {
		raw, err := chart.Render(s, labels)
		if err != nil {
			b.Fatal(err)
		}
		size = len(raw)
	}
	b.ReportMetric(float64(size), "png-bytes")
}
