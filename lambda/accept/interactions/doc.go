// Package interactions answers questions from Discord: the slash commands
// /working (who is working now) and /hours (hours per person), sent to
// the application's interactions endpoint. It is the relay's third side,
// beside accepting and delivering: request → verify (Ed25519) → decode →
// answer from the state the deliver half keeps. Register puts the
// commands in Discord.
//
// Must not import: accept/relay, queue, deliver, store/dynamodb,
// store/localstore.
package interactions
