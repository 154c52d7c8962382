package chart

import (
	_ "embed"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// fontData is Noto Sans CJK JP cut down to JIS X 0208, kana and Latin:
// 1.8 MB instead of 16 MB, and parsed only when a chart is drawn, so a
// cold start does not pay for it.
//
//go:embed NotoSansJP-Subset.otf
var fontData []byte

var parsed = sync.OnceValues(func() (*sfnt.Font, error) { return opentype.Parse(fontData) })

// face is the font at size points (at 72 dpi, a point is a pixel).
func face(size float64) (font.Face, error) {
	f, err := parsed()
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}

// Missing lists the characters of s that the font has no glyph for.
func Missing(s string) []rune {
	f, err := parsed()
	if err != nil {
		return []rune(s)
	}
	var buf sfnt.Buffer
	var out []rune
	for _, r := range s {
		if i, err := f.GlyphIndex(&buf, r); r != ' ' && (err != nil || i == 0) {
			out = append(out, r)
		}
	}
	return out
}
