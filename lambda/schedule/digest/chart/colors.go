package chart

import (
	"image/color"
	"math"

	"clockify-discord-relay/lambda/summary"
)

// categorical are the colors for projects whose own is missing or too
// close to one already shown: Okabe–Ito's colorblind-safe eight (without
// black, the text's), then Tableau 10's (without its gray, "other"'s).
var categorical = []color.RGBA{
	{0xE6, 0x9F, 0x00, 0xff}, {0x56, 0xB4, 0xE9, 0xff}, {0x00, 0x9E, 0x73, 0xff}, {0xF0, 0xE4, 0x42, 0xff},
	{0x00, 0x72, 0xB2, 0xff}, {0xD5, 0x5E, 0x00, 0xff}, {0xCC, 0x79, 0xA7, 0xff},
	{0x4E, 0x79, 0xA7, 0xff}, {0xF2, 0x8E, 0x2B, 0xff}, {0xE1, 0x57, 0x59, 0xff}, {0x76, 0xB7, 0xB2, 0xff},
	{0x59, 0xA1, 0x4F, 0xff}, {0xED, 0xC9, 0x48, 0xff}, {0xB0, 0x7A, 0xA1, 0xff}, {0xFF, 0x9D, 0xA7, 0xff}, {0x9C, 0x75, 0x5F, 0xff},
}

// minDistance is how far apart two shown colors must be to be told apart
// at a glance, as CIE76's ΔE in CIELAB (so as the eye sees it: two blues
// far apart in RGB, Clockify's #03A9F4 and the palette's sky blue, are
// 14 apart, too close); "other"'s gray and the background count.
const minDistance = 20

// projectKey names a project across users' rows and the legend.
func projectKey(p summary.Project) string { return p.Name + "\x00" + p.Client }

// palette gives each of the top projects its own color, most time first:
// its Clockify color when that is far enough from those already given
// (and from "other"'s gray and the white ground), else the next such
// categorical color. Every other project is drawn as "other".
func palette(top []summary.Project) map[string]color.RGBA {
	out := make(map[string]color.RGBA, len(top))
	taken := []color.RGBA{grey, background, grid}
	free := func(c color.RGBA) bool {
		for _, t := range taken {
			if distance(c, t) < minDistance {
				return false
			}
		}
		return true
	}
	next := 0
	for _, p := range top {
		c, ok := parseHex(p.Color)
		if !ok || !free(c) {
			for next < len(categorical) && !free(categorical[next]) {
				next++
			}
			if next < len(categorical) {
				c = categorical[next]
			} else {
				c = grey // past both palettes: counted as other (top is shorter)
			}
		}
		out[projectKey(p)] = c
		taken = append(taken, c)
	}
	return out
}

// distance is CIE76's ΔE between two sRGB colors.
func distance(a, b color.RGBA) float64 {
	la, aa, ba := lab(a)
	lb, ab, bb := lab(b)
	return math.Sqrt((la-lb)*(la-lb) + (aa-ab)*(aa-ab) + (ba-bb)*(ba-bb))
}

// lab converts an sRGB color to CIELAB (D65 white).
func lab(c color.RGBA) (l, a, b float64) {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	r, g, bl := lin(c.R), lin(c.G), lin(c.B)
	x := (0.4124*r + 0.3576*g + 0.1805*bl) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*bl
	z := (0.0193*r + 0.1192*g + 0.9505*bl) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return 116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)
}
