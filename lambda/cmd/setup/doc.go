// Command setup creates the Clockify webhooks the relay needs, or brings
// them up to date without duplicates, and writes their signing secrets into
// the relay's SSM parameter. make setup runs it.
//
//	CLOCKIFY_API_KEY=… go run ./lambda/cmd/setup -workspace ID -url https://…/Prod/clockify [-events all] [-dry-run]
//
// The API key is read from the environment, so that it stays out of shell
// history and process lists, and it is never printed.
//
// Must not import: deliver, accept/relay, local, settings, queue.
package main
