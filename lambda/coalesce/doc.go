// Package coalesce puts the messages waiting for one webhook into as few
// Discord messages as Discord's limits allow, in order: up to 10 embeds
// and 6,000 characters across them, and content lines joined within 2,000
// characters. Discord lets a channel take about 30 messages a minute;
// coalesced, they carry up to 300 events.
package coalesce
