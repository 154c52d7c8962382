package discord

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strconv"
)

// request is a request body and its content type.
type request struct {
	data        []byte
	contentType string
}

// encodeRequest is msg as Discord takes it: JSON, or, with files,
// multipart/form-data with the JSON in payload_json and each file in
// files[n], which the JSON's attachments describe.
// https://discord.com/developers/docs/reference#uploading-files
func encodeRequest(msg Message) (*request, error) {
	payload, err := encodePayload(msg)
	if err != nil || len(msg.Files) == 0 {
		return &request{data: payload, contentType: "application/json"}, err
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, _ := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {`form-data; name="payload_json"`},
		"Content-Type":        {"application/json"},
	})
	part.Write(payload)
	for i, f := range msg.Files {
		part, _ := w.CreatePart(textproto.MIMEHeader{
			"Content-Disposition": {`form-data; name="files[` + strconv.Itoa(i) + `]"; filename="` + escapeQuotes(f.Name) + `"`},
			"Content-Type":        {f.ContentType},
		})
		part.Write(f.Data)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return &request{data: buf.Bytes(), contentType: w.FormDataContentType()}, nil
}

// encodePayload is msg's JSON, with an attachment for each file.
func encodePayload(msg Message) ([]byte, error) {
	msg.Attachments = nil
	for i, f := range msg.Files {
		msg.Attachments = append(msg.Attachments, Attachment{ID: i, Filename: f.Name})
	}
	return Encode(msg)
}

func escapeQuotes(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' || s[i] == '\r' || s[i] == '\n' {
			b = append(b, '_')
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}
