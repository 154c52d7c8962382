package interactions

import (
	"encoding/json"

	"clockify-discord-relay/lambda/discord"
)

// The interaction types the relay answers.
// https://discord.com/developers/docs/interactions/receiving-and-responding
const (
	TypePing         = 1
	TypeCommand      = 2
	TypeAutocomplete = 4
)

// The answer types it sends.
const (
	AnswerPong         = 1
	AnswerMessage      = 4
	AnswerAutocomplete = 8
)

// FlagEphemeral shows an answer only to whoever asked.
const FlagEphemeral = 1 << 6

// Interaction is what Discord posts, as far as the relay reads it.
type Interaction struct {
	ID            string       `json:"id"`
	ApplicationID string       `json:"application_id"`
	Type          int          `json:"type"`
	GuildID       string       `json:"guild_id,omitempty"`
	ChannelID     string       `json:"channel_id,omitempty"`
	Locale        string       `json:"locale,omitempty"`
	Data          *CommandData `json:"data,omitempty"`
}

// CommandData is the command used and its options.
type CommandData struct {
	Name    string   `json:"name"`
	Options []Option `json:"options,omitempty"`
}

// Option is one option's value; Focused marks the one being typed
// (autocomplete).
type Option struct {
	Name    string          `json:"name"`
	Type    int             `json:"type"`
	Value   json.RawMessage `json:"value,omitempty"`
	Focused bool            `json:"focused,omitempty"`
}

// Answer is the response body.
type Answer struct {
	Type int `json:"type"`
	Data any `json:"data,omitempty"`
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Discord's limits on autocomplete: how many suggestions, and how long
// a suggestion's name and value may be.
const (
	MaxChoices     = 25
	MaxChoiceRunes = 100
)

// say is a type 4 answer: never pings anyone.
func say(msg discord.Message, ephemeral bool) Answer {
	msg.AllowedMentions = discord.AllowedMentions{Parse: []string{}}
	if ephemeral {
		msg.Flags |= FlagEphemeral
	}
	return Answer{Type: AnswerMessage, Data: msg}
}
