// Package apigateway adapts the relay to Lambda invocations from API Gateway:
// REST APIs (payload format 1.0) and HTTP APIs or function URLs (2.0).
package apigateway
