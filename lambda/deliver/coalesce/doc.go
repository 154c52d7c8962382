// Package coalesce puts the messages waiting for one webhook into as few
// Discord messages as Discord's limits allow, in order: up to 10 embeds
// and 6,000 characters across them, and content lines joined within 2,000
// characters. When the events waiting would take more than one message,
// they go as a list, a line each, so that one message carries dozens:
// Discord lets a channel take about 30 messages a minute.
//
// Must not import: deliver, message, queue, state.
package coalesce
