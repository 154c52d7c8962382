// Package awsclients builds the AWS SDK's clients for the adapters (ssm,
// sqs, dynamodb) lazily, from one configuration loaded once: a relay
// configured by environment values alone never loads it. The standard
// variables (AWS_ENDPOINT_URL_SSM, _SQS, _DYNAMODB) point them at an
// emulator. It must not import the adapters' callers.
//
// Must not import: settings, deliver, store/sqs, store/dynamodb.
package awsclients
