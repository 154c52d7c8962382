package discordtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// The stand-in's application, for slash commands.
const (
	ApplicationID = "1300000000000000001"
	BotToken      = "stand-in-bot-token.secret"
)

var (
	commandsPath = regexp.MustCompile(`^/api/v10/applications/(\d+)(?:/guilds/(\d+))?/commands$`)
	commandName  = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
)

// Commands are the commands registered: "" holds the global ones, a
// guild id that guild's.
func (s *Server) Commands() map[string][]json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]json.RawMessage{}
	for k, v := range s.commands {
		out[k] = append([]json.RawMessage(nil), v...)
	}
	return out
}

// CommandWrites counts the bulk overwrites.
func (s *Server) CommandWrites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commandWrites
}

// application answers GET /applications/@me and PUT …/commands, as
// Discord does for a bot token: 401 without it, 400 for a command Discord
// would refuse.
func (s *Server) application(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Header.Get("Authorization") != "Bot "+BotToken {
		writeError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	if r.Method == http.MethodGet && r.URL.Path == "/api/v10/applications/@me" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": ApplicationID, "name": "Clockify relay"})
		return
	}
	m := commandsPath.FindStringSubmatch(r.URL.Path)
	switch {
	case m == nil:
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
		return
	case r.Method != http.MethodPut:
		writeError(w, http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
		return
	case m[1] != ApplicationID:
		writeError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	var cmds []struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Options     []json.RawMessage `json:"options"`
	}
	var raw []json.RawMessage
	if json.Unmarshal(body, &cmds) != nil || json.Unmarshal(body, &raw) != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Name) || strings.ToLower(c.Name) != c.Name || c.Description == "" || len([]rune(c.Description)) > 100 || len(c.Options) > 25 {
			writeFormError(w, "name", "APPLICATION_COMMAND_INVALID", "invalid command "+c.Name)
			return
		}
	}
	if s.commands == nil {
		s.commands = map[string][]json.RawMessage{}
	}
	s.commands[m[2]] = raw
	s.commandWrites++
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}
