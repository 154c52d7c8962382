package discord

// Message is the body of Execute Webhook.
// https://discord.com/developers/docs/resources/webhook#execute-webhook
type Message struct {
	Content         string          `json:"content,omitempty"`
	Embeds          []Embed         `json:"embeds,omitempty"`
	AllowedMentions AllowedMentions `json:"allowed_mentions"`
	Flags           int             `json:"flags,omitempty"`
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
