// Package apigateway adapts API Gateway's proxy events (payload 1.0 and
// 2.0) to net/http, so that Lambda serves the accept half's one
// http.Handler (relay's Front) as local mode does: the path without its
// stage, the headers merged, the body decoded as it is read. It holds no
// rule of the relay's and must not import either half's insides.
//
// Must not import: accept/interactions, deliver, discord, store/sqs,
// store/dynamodb, local.
package apigateway
