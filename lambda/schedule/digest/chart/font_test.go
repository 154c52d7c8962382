package chart

import (
	"testing"

	"golang.org/x/image/font/opentype"
)

// BenchmarkParseFont is what the first chart of a process pays to read
// the embedded font.
func BenchmarkParseFont(b *testing.B) {
	for b.Loop() {
		if _, err := opentype.Parse(fontData); err != nil {
			b.Fatal(err)
		}
	}
}
