package deployment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

// noonZone is an IANA zone (Etc/GMT±N) where it is now about noon, and
// that zone's day: the test day's entries are all in the morning, before
// now, whenever the test runs.
func noonZone(t *testing.T) (string, time.Time) {
	offset := 12 - time.Now().UTC().Hour() // hours east of UTC
	name := "Etc/GMT"
	switch {
	case offset > 0:
		name += "-" + strconv.Itoa(offset) // Etc/GMT-5 is UTC+5
	case offset < 0:
		name += "+" + strconv.Itoa(-offset)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	return name, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
}

// dayStep is one Clockify event of the test day.
type dayStep struct {
	sample, id, user string
	start            time.Time
	took             time.Duration
}

// request is a sample's event as Clockify posts it.
type request struct {
	sample  string
	body    []byte
	headers map[string]string
}

// theDay is the day: A 1h30m then updated to 2h; B 45m then
// deleted; C a manual 1h.
func theDay(t *testing.T, day time.Time) []request {
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	steps := []dayStep{
		{"timer-stopped", "entry-a", "A", at(8, 0), 90 * time.Minute},
		{"timer-stopped", "entry-b", "B", at(8, 30), 45 * time.Minute},
		{"new-time-entry", "entry-c", "C", at(9, 0), time.Hour},
		{"time-entry-updated", "entry-a", "A", at(8, 0), 2 * time.Hour},
		{"time-entry-deleted", "entry-b", "B", at(8, 30), 45 * time.Minute},
	}
	var out []request
	for _, s := range steps {
		body, headers := entryRequest(t, s.sample, s.id, s.user)
		var raw map[string]any
		_ = json.Unmarshal(body, &raw)
		end := s.start.Add(s.took)
		raw["timeInterval"] = map[string]any{"start": s.start.UTC().Format(time.RFC3339), "end": end.UTC().Format(time.RFC3339), "duration": "PT" + strings.ToUpper(s.took.String())}
		raw["currentlyRunning"] = false
		raw["type"] = "REGULAR"
		body, _ = json.Marshal(raw)
		out = append(out, request{s.sample, body, headers})
	}
	return out
}

// checkDigest finds the one digest Discord received and checks the day:
// A 2h, C 1h, total 3h, B absent, and a PNG chart attached.
func checkDigest(t *testing.T, dc *discordtest.Server, wantDigests int) {
	t.Helper()
	var digests []discord.Message
	for _, r := range dc.Received() {
		if len(r.Message.Embeds) == 1 && strings.HasPrefix(r.Message.Embeds[0].Title, "📊") {
			digests = append(digests, r.Message)
		}
	}
	if len(digests) != wantDigests {
		t.Fatalf("%d digests, want %d", len(digests), wantDigests)
	}
	d := digests[len(digests)-1]
	desc := d.Embeds[0].Description
	for _, want := range []string{"合計 **3時間**", "2 件", "**A** 2時間", "**C** 1時間"} {
		if !strings.Contains(desc, want) {
			t.Errorf("the digest lacks %q:\n%s", want, desc)
		}
	}
	if strings.Contains(desc, "**B**") {
		t.Errorf("the deleted entry counts:\n%s", desc)
	}
	if len(d.Files) != 1 || d.Embeds[0].Image == nil || d.Embeds[0].Image.URL != "attachment://"+d.Files[0].Name {
		t.Fatalf("no chart attached: files %d, image %+v", len(d.Files), d.Embeds[0].Image)
	}
	img, err := png.Decode(bytes.NewReader(d.Files[0].Data))
	if err != nil || img.Bounds().Dx() != 800 {
		t.Errorf("the chart: %v, %v", err, img)
	}
}

// TestDigestDayLocal: the day over a real socket to the local relay, then
// bootstrap digest: once, a second time (already posted), and -force.
func TestDigestDayLocal(t *testing.T) {
	dc := discordtest.NewServer(t)
	zone, day := noonZone(t)
	dir := t.TempDir()
	r := startLocalRelay(t, dc, dir, "TIME_ZONE", zone, "DIGEST_TIME", "23:59")
	client := &http.Client{Timeout: 10 * time.Second}
	for i, step := range theDay(t, day) {
		if status, answer, err := post(context.Background(), client, r.url, step.body, step.headers); err != nil || status != 200 {
			t.Fatalf("step %d: %d %s %v", i, status, answer, err)
		}
		for deadline := time.Now().Add(time.Minute); len(dc.Received()) <= i; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) { // stops a hung test
				t.Fatalf("step %d was not delivered\n%s", i, r.output)
			}
		}
	}
	// The command opens DATA_DIR itself: the relay stops first.
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = r.cmd.Wait()
	bootstrap, _ := binaries(t)
	date := day.Format(time.DateOnly)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"digest", "-date", date}, "daily-" + date + ": 1 posted"},
		{[]string{"digest", "-date", date}, "the digest of daily-" + date + " was posted already; -force (FORCE=1) posts it again"},
		{[]string{"digest", "-date", date, "-force"}, "daily-" + date + ": 1 posted"},
	} {
		cmd := exec.Command(bootstrap, c.args...)
		cmd.Env = r.env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || strings.TrimSpace(stdout.String()) != c.want {
			t.Fatalf("bootstrap %s: %v %q, want %q\n%s", strings.Join(c.args, " "), err, stdout.String(), c.want, stderr.String())
		}
	}
	checkDigest(t, dc, 2)
}

// TestDigestDayUnderRIE: the same day through the API function under the
// RIE, with the trigger played by the test and the ledger in kumo's
// DynamoDB; then the schedule's event (events/schedule-digest.json)
// queues the digest, which the delivery function posts with its chart.
// A second firing posts nothing.
func TestDigestDayUnderRIE(t *testing.T) {
	zone, day := noonZone(t)
	l := startQueuedLambda(t, "TIME_ZONE", zone, "DIGEST_TIME", "12:00") // the 24 hours up to noon, the day's morning in them
	for _, step := range theDay(t, day) {
		l.deliverSample(t, step.sample, step.body, step.headers)
	}
	for _, want := range []string{`{"digests":1}`, `{"digests":0,"alreadyPosted":1}`} {
		if got := l.fire(t, "schedule-digest.json"); got != want {
			t.Fatalf("scheduled invocation: %s, want %s\n%s", got, want, l.output)
		}
		l.drain(t)
	}
	checkDigest(t, l.dc, 1)
}
