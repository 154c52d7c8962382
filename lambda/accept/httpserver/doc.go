// Package httpserver serves the relay over plain HTTP, for running it on a
// laptop with no AWS account: POST /clockify, and POST
// /discord/interactions when a public key is set. Only this machine may
// post to /clockify (Local: no Origin, a loopback Host, a JSON body);
// Discord's path checks its own signature.
package httpserver
