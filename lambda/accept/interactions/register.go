package interactions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// APIBase is Discord's API.
const APIBase = "https://discord.com/api/v10"

// Registrar puts the commands in Discord with a bot token.
type Registrar struct {
	Client *http.Client
	Base   string // APIBase, or a stand-in's
	Token  string // the bot token; never in an error
}

// Application is the bot's application id (GET /applications/@me).
func (r Registrar) Application(ctx context.Context) (string, error) {
	var app struct {
		ID string `json:"id"`
	}
	if err := r.call(ctx, http.MethodGet, "/applications/@me", nil, &app); err != nil {
		return "", err
	}
	if app.ID == "" {
		return "", fmt.Errorf("discord: GET /applications/@me named no application")
	}
	return app.ID, nil
}

// Register overwrites the application's commands with Commands (PUT, a
// bulk overwrite: running it again changes nothing), globally or, with
// guild, in that server only, where they appear at once.
func (r Registrar) Register(ctx context.Context, appID, guild string) error {
	path := "/applications/" + appID + "/commands"
	if guild != "" {
		path = "/applications/" + appID + "/guilds/" + guild + "/commands"
	}
	body, err := json.Marshal(Commands)
	if err != nil {
		return err
	}
	return r.call(ctx, http.MethodPut, path, body, nil)
}

func (r Registrar) call(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(r.Base, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bot "+r.Token)
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/clockify-discord-relay, 1)")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.Client.Do(req)
	if err != nil {
		return fmt.Errorf("discord: %s %s: %s", method, path, strings.ReplaceAll(err.Error(), r.Token, "REDACTED"))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		hint := ""
		if resp.StatusCode == http.StatusUnauthorized {
			hint = ": the bot token is wrong (Developer Portal → your app → Bot → Reset Token)"
		}
		return fmt.Errorf("discord: %s %s: %s%s: %s", method, path, resp.Status, hint, strings.ReplaceAll(string(answer), r.Token, "REDACTED"))
	}
	if out != nil {
		return json.Unmarshal(answer, out)
	}
	return nil
}
