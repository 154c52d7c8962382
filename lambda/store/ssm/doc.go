// Package ssm reads the relay's secrets from SSM Parameter Store.
//
// Must not import: secrets, settings, deliver, accept/relay.
package ssm
