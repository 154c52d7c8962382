package deliver

import (
	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/summary"
)

// BreakChart makes d's charts fail with err.
func BreakChart(d *Deliverer, err error) {
	d.shared.drawChart = func(summary.Summary, chart.Labels) ([]byte, error) { return nil, err }
}
