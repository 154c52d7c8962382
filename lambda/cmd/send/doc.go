// Command send (make send) posts a sample Clockify delivery from events/
// to the local relay as a new event: a fresh entry id, its times moved to
// now, so that each send shows a message. -again resends the last
// delivery exactly, which the relay answers as a duplicate.
//
// Must not import: deliver, accept/relay, local, settings.
package main
