package chart

import (
	"bytes"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/summary"
	"clockify-discord-relay/lambda/summary/summarytest"
)

var labels = Labels{Title: "crowd", NoProject: "No project", Other: "Other",
	More: func(n int) string { return "+" + time.Duration(n).String() }, Hours: func(d time.Duration) string { return d.Round(time.Minute).String() }}

// TestTheLegendCannotMislead decodes the crowd chart: every legend color
// is in the bars, no two legend colors are the same, every color in the
// bars is in the legend, and every label keeps its hours.
func TestTheLegendCannotMislead(t *testing.T) {
	for name, s := range map[string]summary.Summary{"crowd": summarytest.Crowd(30), "day": summarytest.Day(), "clashing": clashing()} {
		raw, err := Render(s, labels)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		text, _ := face(textSize)
		legend, _ := legendOf(s, labels, text)
		inLegend := map[color.RGBA]bool{}
		for _, item := range legend {
			if inLegend[item.color] {
				t.Errorf("%s: two legend entries share %v", name, item.color)
			}
			inLegend[item.color] = true
			if item.label != labels.Other && !strings.Contains(item.label, " · ") {
				t.Errorf("%s: the label %q lost its hours", name, item.label)
			}
		}
		// The bars' area: right of the names, above the grid's labels.
		top := margin + titleSize + 20
		rows := min(len(s.Users), MaxUsers)
		inBars := map[color.RGBA]int{}
		for i := range rows {
			y := top + i*rowHeight + barHeight/2 // the middle of row i's bar
			for x := margin + labelWidth + 2; x < Width-margin; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				inBars[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}]++
			}
		}
		for c := range inLegend {
			if inBars[c] == 0 {
				t.Errorf("%s: legend color %v is in no bar", name, c)
			}
		}
		for c, n := range inBars {
			if !inLegend[c] && c != background && c != grid && c != ink && n > 30 { // the hours after each bar: ink, and few antialiased pixels
				t.Errorf("%s: %d bar pixels of %v, which the legend does not name", name, n, c)
			}
		}
	}
}

// clashing is two projects that Clockify colors alike, and one with a
// very long name: the second gets a color of its own, the long name is
// cut before its hours.
func clashing() summary.Summary {
	p := func(name, c string, h int) summary.Project {
		return summary.Project{Name: name, Color: c, Total: time.Duration(h) * time.Hour}
	}
	a, b, long := p("Website", "#03A9F4", 5), p("Webshop", "#03A8F5", 3), p(strings.Repeat("Documentation ", 8), "#4CAF50", 2)
	return summary.Summary{Period: summary.DayOf(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)), Total: 10 * time.Hour,
		Users:    []summary.User{{Name: "Ada", Total: 10 * time.Hour, Projects: []summary.Project{a, b, long}}},
		Projects: []summary.Project{a, b, long}}
}

// TestShownColorsStayApart: every two colors the legend shows are at
// least minDistance apart as the eye sees them, Clockify's own included:
// its light blue #03A9F4 and the palette's sky blue are not both shown.
func TestShownColorsStayApart(t *testing.T) {
	top := []summary.Project{{Name: "Website", Color: "#03A9F4"}, {Name: "Uncolored"}, {Name: "Also blue", Color: "#56B4E9"}}
	for i := range 9 {
		top = append(top, summary.Project{Name: string(rune('A' + i)), Color: []string{"#E69F00", "#F28E2B", "#4CAF50", "#8BC34A", "#9C27B0", "#673AB7", "#F44336", "#E91E63", "#03A9F4"}[i]})
	}
	colors := palette(top)
	var shown []color.RGBA
	for _, p := range top {
		if c := colors[projectKey(p)]; c != grey {
			shown = append(shown, c)
		}
	}
	if len(shown) < 8 {
		t.Errorf("only %d of %d projects got a color", len(shown), len(top))
	}
	for i, a := range shown {
		for _, b := range shown[i+1:] {
			if d := distance(a, b); d < minDistance {
				t.Errorf("%v and %v are %.1f apart, want at least %d", a, b, d, minDistance)
			}
		}
	}
	if d := distance(color.RGBA{0x03, 0xA9, 0xF4, 0xff}, color.RGBA{0x56, 0xB4, 0xE9, 0xff}); d >= minDistance {
		t.Errorf("Clockify's light blue and the sky blue are %.1f apart: the measure does not see them alike", d)
	}
}

// TestTheLegendNamesProjectsAsMessagesDo: "ACME - Website Renewal", not
// "Website Renewal (ACME)".
func TestTheLegendNamesProjectsAsMessagesDo(t *testing.T) {
	s := summarytest.Day()
	text, _ := face(textSize)
	legend, _ := legendOf(s, labels, text)
	found := false
	for _, item := range legend {
		if strings.Contains(item.label, "(") {
			t.Errorf("a legend label names the client in brackets: %q", item.label)
		}
		found = found || strings.Contains(item.label, " - ")
	}
	if !found {
		t.Errorf("no legend label names a client first: %v", legend)
	}
}
