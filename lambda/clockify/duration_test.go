package clockify_test

import (
	"errors"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in        string
		want      time.Duration
		canonical string
	}{
		{"PT0S", 0, "PT0S"},
		{"PT45S", 45 * time.Second, "PT45S"},
		{"PT1H30M", 90 * time.Minute, "PT1H30M"},
		{"PT1H30M30S", 90*time.Minute + 30*time.Second, "PT1H30M30S"},
		{"PT11H48M", 11*time.Hour + 48*time.Minute, "PT11H48M"},
		{"PT47H12M45S", 47*time.Hour + 12*time.Minute + 45*time.Second, "PT47H12M45S"},
		{"PT90M", 90 * time.Minute, "PT1H30M"},
		{"P1DT2H", 26 * time.Hour, "PT26H"},
		{"P2D", 48 * time.Hour, "PT48H"},
		{"PT1.5S", 1500 * time.Millisecond, "PT1.5S"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := clockify.ParseDuration(tt.in)
			if err != nil {
				t.Fatalf("ParseDuration: %v", err)
			}
			if time.Duration(d) != tt.want {
				t.Errorf("= %v, want %v", time.Duration(d), tt.want)
			}
			if got := d.String(); got != tt.canonical {
				t.Errorf("String() = %q, want %q", got, tt.canonical)
			}
		})
	}
}

func TestParseDurationRejects(t *testing.T) {
	for _, in := range []string{"", "P", "PT", "1H", "PT1H1H", "PT1M1H", "P1Y", "P1M", "P1W", "PT-1H", "PTH", "P1DT", "PT1.2.3S", "PT99999999999999999999H",
		"P53375DT1281023H76861433M4611686018S", // each part fits; the sum wraps around
		"P3700D", "PT87841H"} {
		t.Run(in, func(t *testing.T) {
			if _, err := clockify.ParseDuration(in); !errors.Is(err, clockify.ErrInvalidDuration) {
				t.Errorf("ParseDuration(%q) err = %v, want ErrInvalidDuration", in, err)
			}
		})
	}
}

func TestDurationClock(t *testing.T) {
	d, _ := clockify.ParseDuration("PT47H12M45S")
	if h, m, s := d.Clock(); h != 47 || m != 12 || s != 45 {
		t.Errorf("Clock() = %d, %d, %d", h, m, s)
	}
}
