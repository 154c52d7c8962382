package chart

import (
	"image/color"

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

// minDistance is how far apart (in RGB, squared) two shown colors must be
// to be told apart at a glance; "other"'s gray and the background count.
const minDistance = 48 * 48

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

func distance(a, b color.RGBA) int {
	dr, dg, db := int(a.R)-int(b.R), int(a.G)-int(b.G), int(a.B)-int(b.B)
	return dr*dr + dg*dg + db*db
}
