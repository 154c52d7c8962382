package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"clockify-discord-relay/lambda/summary"
)

// Layout, in pixels. Discord scales an embed's image down to the embed's
// width; drawn at 800 pixels, its text stays sharp on dense screens.
const (
	Width      = 800
	MaxUsers   = 12 // rows drawn; the rest are counted under the chart
	margin     = 24
	labelWidth = 190
	valueWidth = 80
	rowHeight  = 40
	barHeight  = 24
	titleSize  = 22
	textSize   = 17
	legendRow  = 28
	maxLegend  = 10
)

// Labels are the chart's words, in the digest's language.
type Labels struct {
	Title     string // the period
	NoProject string
	Other     string           // the rest of a user's projects
	More      func(int) string // "+N more"
	Hours     func(time.Duration) string
	// Project names a project with its client, as messages do; nil:
	// "Client - Project".
	Project func(client, project string) string
}

var (
	background = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink        = color.RGBA{0x23, 0x27, 0x2a, 0xff}
	faint      = color.RGBA{0x6d, 0x73, 0x7a, 0xff}
	grid       = color.RGBA{0xe3, 0xe5, 0xe8, 0xff}
	grey       = color.RGBA{0x9e, 0x9e, 0x9e, 0xff} // "other"
)

// ErrEmpty is a summary with no time to draw.
var ErrEmpty = errors.New("chart: no time to draw")

// Render draws s as a PNG.
func Render(s summary.Summary, l Labels) ([]byte, error) {
	if s.Total <= 0 || len(s.Users) == 0 {
		return nil, ErrEmpty
	}
	title, err := face(titleSize)
	if err != nil {
		return nil, fmt.Errorf("chart: the font: %w", err)
	}
	text, _ := face(textSize)
	users := s.Users[:min(len(s.Users), MaxUsers)]
	legend, colors := legendOf(s, l, text)
	rows := (len(legend) + 1) / 2
	top := margin + titleSize + 20
	barsBottom := top + len(users)*rowHeight
	height := barsBottom + 30 + rows*legendRow + margin
	if len(s.Users) > len(users) {
		height += legendRow
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	write(img, title, ink, margin, margin+titleSize, fit(title, l.Title, Width-2*margin))

	// The hour grid: a line at each step, so the longest bar fits.
	x0, x1 := margin+labelWidth, Width-margin-valueWidth
	longest := users[0].Total
	step := gridStep(longest)
	scale := float64(x1-x0) / float64(step*time.Duration(math.Ceil(float64(longest)/float64(step))))
	for h := time.Duration(0); float64(h)*scale <= float64(x1-x0)+0.5; h += step {
		x := x0 + int(float64(h)*scale)
		fill(img, x, top-6, x+1, barsBottom, grid)
		write(img, text, faint, x-8, barsBottom+textSize+4, strconv.Itoa(int(h.Hours()))+"h")
	}
	for i, u := range users {
		y := top + i*rowHeight
		name := u.Name
		if u.Running {
			name = "▶ " + name
		}
		write(img, text, ink, margin, y+barHeight/2+textSize/2-2, fit(text, name, labelWidth-10))
		x := float64(x0)
		for _, p := range u.Projects {
			w := float64(p.Total) * scale
			c, shown := colors[projectKey(p)]
			if !shown || p.Other {
				c = grey // in "other", in the bars as in the legend
			}
			fill(img, int(x), y, int(math.Round(x+w)), y+barHeight, c)
			x += w
		}
		write(img, text, ink, int(x)+8, y+barHeight/2+textSize/2-2, l.Hours(u.Total))
	}
	y := barsBottom + 30
	if len(s.Users) > len(users) {
		write(img, text, faint, margin, y+textSize, l.More(len(s.Users)-len(users)))
		y += legendRow
	}
	for i, item := range legend {
		lx, ly := margin+(i%2)*(Width-2*margin)/2, y+(i/2)*legendRow
		fill(img, lx, ly+3, lx+16, ly+19, item.color)
		write(img, text, ink, lx+24, ly+textSize, item.label)
	}
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&out, img); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

type legendItem struct {
	label string
	color color.RGBA
}

// legendWidth is a legend label's room, in pixels.
const legendWidth = (Width-2*margin)/2 - 30

// legendOf names the colors drawn: the top projects, each with a color of
// its own, then "other" for the rest. Labels keep their hours: a long
// name is shortened first.
func legendOf(s summary.Summary, l Labels, f font.Face) ([]legendItem, map[string]color.RGBA) {
	top := s.Projects[:min(len(s.Projects), maxLegend-1)]
	colors := palette(top)
	var out []legendItem
	for _, p := range top {
		c := colors[projectKey(p)]
		if c == grey {
			continue // no distinct color left: drawn as other
		}
		name := l.NoProject
		if p.Name != "" {
			name = projectName(l, p.Client, p.Name)
		}
		hours := " · " + l.Hours(p.Total)
		room := legendWidth - font.MeasureString(f, hours).Ceil()
		out = append(out, legendItem{fit(f, name, room) + hours, c})
	}
	if len(s.Projects) > len(out) || hasOther(s) {
		out = append(out, legendItem{l.Other, grey})
	}
	return out, colors
}

func hasOther(s summary.Summary) bool {
	for _, u := range s.Users {
		for _, p := range u.Projects {
			if p.Other {
				return true
			}
		}
	}
	return false
}

// projectName names a project as l says, or as "Client - Project".
func projectName(l Labels, client, project string) string {
	if l.Project != nil {
		return l.Project(client, project)
	}
	if client == "" {
		return project
	}
	return client + " - " + project
}

// gridStep is an hour step that draws 3 to 10 lines up to longest.
func gridStep(longest time.Duration) time.Duration {
	for _, h := range []time.Duration{1, 2, 5, 10, 20, 50, 100} {
		if longest/(h*time.Hour) < 8 {
			return h * time.Hour
		}
	}
	return 200 * time.Hour
}

func parseHex(s string) (color.RGBA, bool) {
	s = strings.TrimPrefix(s, "#")
	v, err := strconv.ParseUint(s, 16, 32)
	if len(s) != 6 || err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, true
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
}

func write(img *image.RGBA, f font.Face, c color.RGBA, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// fit cuts s with "…" to at most width pixels.
func fit(f font.Face, s string, width int) string {
	if font.MeasureString(f, s).Ceil() <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && font.MeasureString(f, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
