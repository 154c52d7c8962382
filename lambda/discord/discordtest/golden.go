package discordtest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"clockify-discord-relay/lambda/discord"
)

// CheckGolden holds msg's payload, as the relay sends it, indented,
// against testdata/golden/name; update rewrites the file first (a test's
// -update flag).
func CheckGolden(t testing.TB, name string, msg discord.Message, update bool) {
	t.Helper()
	body, err := discord.Encode(msg)
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", "golden", name)
	if update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the package's tests with -update)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("payload differs from %s\n got %s\nwant %s", path, pretty.Bytes(), want)
	}
}
