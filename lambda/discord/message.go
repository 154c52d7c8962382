package discord

// Message is the body of Execute Webhook.
// https://discord.com/developers/docs/resources/webhook#execute-webhook
type Message struct {
	Content         string          `json:"content,omitempty"`
	Embeds          []Embed         `json:"embeds,omitempty"`
	AllowedMentions AllowedMentions `json:"allowed_mentions"`
	Flags           int             `json:"flags,omitempty"`
	// Attachments describe Files; Encode fills them in.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Files are uploaded with the message (multipart/form-data), and an
	// embed shows one through "attachment://" and its name.
	Files []File `json:"-"`
}

// File is a file uploaded with a message.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Attachment is a file's entry in payload_json: files[ID] is its part.
// https://discord.com/developers/docs/reference#uploading-files
type Attachment struct {
	ID       int    `json:"id"`
	Filename string `json:"filename"`
}

// FlagSuppressEmbeds keeps Discord from adding link previews to a message.
// It hides a message's own embeds too, so only messages without any get it.
// https://discord.com/developers/docs/resources/message#message-object-message-flags
const FlagSuppressEmbeds = 1 << 2

// AllowedMentions limits who a message may ping. The client always sends
// an empty Parse list, so nothing in a message pings anyone.
type AllowedMentions struct {
	Parse []string `json:"parse"`
}

// Embed is a rich block under the content.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Color       int          `json:"color,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Image       *EmbedImage  `json:"image,omitempty"`
}

// EmbedImage is a picture under the embed's fields: a URL, or
// "attachment://name" for a file sent with the message.
type EmbedImage struct {
	URL string `json:"url"`
}

// EmbedAuthor is shown above the title.
type EmbedAuthor struct {
	Name string `json:"name"`
}

// EmbedFooter is shown under the fields.
type EmbedFooter struct {
	Text string `json:"text"`
}

// EmbedField is one name/value pair.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}
