package chart_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/summary"
	"clockify-discord-relay/lambda/summary/summarytest"
)

var ja, _ = message.LanguageFor("ja")

var update = flag.Bool("update", false, "rewrite the sample charts in testdata (the README shows them)")

// TestRender decodes the chart: 800 pixels wide, a row per user, and the
// projects' own colors in it, so not blank.
func TestRender(t *testing.T) {
	for name, s := range map[string]summary.Summary{"day": summarytest.Day(), "crowd": summarytest.Crowd(30)} {
		raw, err := chart.Render(s, report.Labels(s, ja))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", name, err)
		}
		b := img.Bounds()
		if b.Dx() != chart.Width || b.Dy() < 200 || b.Dy() > 1000 {
			t.Errorf("%s: %v", name, b)
		}
		colors := map[color.RGBA]int{}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				colors[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0xff}]++
			}
		}
		if len(colors) < 10 {
			t.Errorf("%s: %d colors: blank", name, len(colors))
		}
		if name == "day" {
			// Webサイト改修 (#03A9F4) is 7h30m of the longest bar's 6h30m scale:
			// thousands of pixels; text is dark.
			if colors[color.RGBA{0x03, 0xa9, 0xf4, 0xff}] < 2000 || colors[color.RGBA{0xe9, 0x1e, 0x63, 0xff}] < 500 {
				t.Errorf("project colors missing: %d, %d", colors[color.RGBA{0x03, 0xa9, 0xf4, 0xff}], colors[color.RGBA{0xe9, 0x1e, 0x63, 0xff}])
			}
			if dark := darkPixels(img, image.Rect(24, 60, 200, 250)); dark < 300 {
				t.Errorf("the names' column has %d dark pixels: no text", dark)
			}
		}
		if *update {
			if err := os.WriteFile(filepath.Join("testdata", "digest-"+name+".png"), raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestJapaneseGlyphs: each name's characters are in the font: a name
// drawn alone leaves ink, where a missing glyph would leave the same
// empty box for every character.
func TestJapaneseGlyphs(t *testing.T) {
	for _, name := range []string{"佐藤 花子", "髙橋 健太", "渡邊 さくら", "ドキュメント整備"} {
		if missing := chart.Missing(name); len(missing) > 0 {
			t.Errorf("%s: no glyph for %q", name, missing)
		}
	}
	if missing := chart.Missing("🦄"); len(missing) != 1 {
		t.Errorf("an emoji the font lacks was not reported: %q", missing)
	}
}

func TestEmpty(t *testing.T) {
	if _, err := chart.Render(summary.Summary{}, report.Labels(summary.Summary{}, ja)); err != chart.ErrEmpty {
		t.Errorf("an empty summary: %v", err)
	}
}

func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c, _, _, _ := img.At(x, y).RGBA(); c < 0x6000 {
				n++
			}
		}
	}
	return n
}
