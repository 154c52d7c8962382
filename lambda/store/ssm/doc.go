// Package ssm reads the relay's secrets from SSM Parameter Store.
package ssm
