package clockify

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidDuration is returned for text that is not a duration Clockify
// would write.
var ErrInvalidDuration = errors.New("invalid ISO 8601 duration")

// MaxDuration is the longest duration accepted: far beyond any real time
// entry, and far below where time.Duration wraps around.
const MaxDuration = 10 * 366 * 24 * time.Hour

// Duration is an ISO 8601 duration as Clockify writes them: "PT1H30M",
// "PT47H12M45S" (hours are not rolled into days), "PT0S".
type Duration time.Duration

// ParseDuration reads an ISO 8601 duration made of days, hours, minutes and
// seconds. Years, months and weeks have no fixed length, so they are refused.
func ParseDuration(s string) (Duration, error) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return 0, fmt.Errorf("%w: %q", ErrInvalidDuration, s)
	}
	var total time.Duration
	inTime := false
	units := "D"
	for rest != "" {
		if rest[0] == 'T' {
			if inTime || len(rest) == 1 {
				return 0, fmt.Errorf("%w: %q", ErrInvalidDuration, s)
			}
			inTime, units, rest = true, "HMS", rest[1:]
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, fmt.Errorf("%w: %q", ErrInvalidDuration, s)
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %q", ErrInvalidDuration, s)
		}
		unit := rest[i]
		u := strings.IndexByte(units, unit)
		if u < 0 {
			return 0, fmt.Errorf("%w: %q", ErrInvalidDuration, s)
		}
		units = units[u+1:] // each unit once, in order
		var scale time.Duration
		switch unit {
		case 'D':
			scale = 24 * time.Hour
		case 'H':
			scale = time.Hour
		case 'M':
			scale = time.Minute
		case 'S':
			scale = time.Second
		}
		part := n * float64(scale)
		if part > float64(MaxDuration) || total+time.Duration(part) > MaxDuration {
			return 0, fmt.Errorf("%w: %q is longer than 10 years", ErrInvalidDuration, s)
		}
		total += time.Duration(part)
		rest = rest[i+1:]
	}
	return Duration(total), nil
}

// String writes d back in Clockify's form: hours, minutes, seconds.
func (d Duration) String() string {
	t := time.Duration(d)
	if t <= 0 {
		return "PT0S"
	}
	h, m, s := d.Clock()
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		b.WriteString(strconv.FormatInt(h, 10) + "H")
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(m, 10) + "M")
	}
	if frac := t % time.Second; s > 0 || frac > 0 {
		b.WriteString(strconv.FormatFloat(float64(s)+frac.Seconds(), 'f', -1, 64) + "S")
	}
	return b.String()
}

// Clock splits d into whole hours, minutes and seconds. Hours pass 24.
func (d Duration) Clock() (hours, minutes, seconds int64) {
	total := int64(time.Duration(d) / time.Second)
	return total / 3600, total % 3600 / 60, total % 60
}

// UnmarshalJSON reads an ISO 8601 string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: not a string", ErrInvalidDuration)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes the ISO 8601 form.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}
