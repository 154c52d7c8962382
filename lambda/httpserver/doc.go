// Package httpserver serves the relay over plain HTTP, for running it on a
// laptop with no AWS account: POST /clockify.
package httpserver
