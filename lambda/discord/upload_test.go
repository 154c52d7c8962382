package discord_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

// A message with a file goes as multipart/form-data: payload_json with
// its attachments, and files[0], shown by the embed through attachment://;
// a 503 sends the same upload again.
func TestUploadsAFile(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.FailNext(http.StatusServiceUnavailable)
	png := []byte("\x89PNG\r\n\x1a\n not really")
	msg := discord.Message{
		Embeds: []discord.Embed{{Title: "digest", Image: &discord.EmbedImage{URL: "attachment://digest.png"}}},
		Files:  []discord.File{{Name: "digest.png", ContentType: "image/png", Data: png}},
	}
	d, err := discord.NewClient(srv.Client()).Send(context.Background(), srv.WebhookURL(), msg)
	if err != nil || d.Attempts != 2 {
		t.Fatalf("Send: %+v, %v", d, err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	r := got[0]
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data; boundary=") {
		t.Errorf("Content-Type %q", ct)
	}
	if len(r.Message.Files) != 1 || !bytes.Equal(r.Message.Files[0].Data, png) || r.Message.Files[0].Name != "digest.png" || r.Message.Files[0].ContentType != "image/png" {
		t.Errorf("files: %+v", r.Message.Files)
	}
	if a := r.Message.Attachments; len(a) != 1 || a[0].ID != 0 || a[0].Filename != "digest.png" {
		t.Errorf("attachments: %+v", a)
	}
	if e := r.Message.Embeds; len(e) != 1 || e[0].Image == nil || e[0].Image.URL != "attachment://digest.png" {
		t.Errorf("embeds: %+v", e)
	}
	if r.Message.AllowedMentions.Parse == nil || r.Message.Flags != 0 {
		t.Errorf("payload_json lost the message's settings: %+v", r.Message)
	}
}
