package discordtest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"clockify-discord-relay/lambda/discord"
)

// MaxFileBytes is Discord's upload limit for a webhook without boosts.
const MaxFileBytes = 10 << 20

// readBody is the request's JSON, and its files when it is
// multipart/form-data (payload_json and files[n], as Discord takes
// uploads); it answers the error itself when it cannot read them.
func (s *Server) readBody(w http.ResponseWriter, contentType string, body []byte) ([]byte, []discord.File, bool) {
	media, params, _ := mime.ParseMediaType(contentType)
	switch media {
	case "application/json":
		return body, nil, true
	case "multipart/form-data":
	default:
		writeFormError(w, "", "CONTENT_TYPE_INVALID", "Expected \"Content-Type\" header to be one of {'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'}.")
		return nil, nil, false
	}
	var payload []byte
	var files []discord.File
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid multipart data.")
			return nil, nil, false
		}
		data, _ := io.ReadAll(part)
		name := part.FormName()
		switch {
		case name == "payload_json":
			payload = data
		case strings.HasPrefix(name, "files["):
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "files["), "]"))
			if err != nil || n != len(files) {
				writeFormError(w, name, "BASE_TYPE_INVALID", "files must be files[0], files[1], … in order")
				return nil, nil, false
			}
			if len(data) > MaxFileBytes {
				writeError(w, http.StatusRequestEntityTooLarge, 40005, "Request entity too large")
				return nil, nil, false
			}
			files = append(files, discord.File{Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data})
		}
	}
	if payload == nil {
		writeError(w, http.StatusBadRequest, 50006, "Cannot send an empty message")
		return nil, nil, false
	}
	return payload, files, true
}
