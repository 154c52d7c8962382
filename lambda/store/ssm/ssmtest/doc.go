// Package ssmtest runs SSM Parameter Store in process (kumo) behind a proxy
// that records each call, so tests can count round trips and check what the
// real AWS SDK asked for.
//
// Must not import: store/ssm, deliver.
package ssmtest
