// Package relay is the relay's first half, the one Clockify waits for: a
// webhook request is verified, decoded and routed, its delivery is put on
// the queue, and the caller gets an answer. Front makes it, with the
// interactions, the accept half's one http.Handler, served as is locally
// and through package apigateway in Lambda; one middleware there logs and
// counts every request. It must not import the deliver half, Discord or a
// store: the queue is all it knows of delivery.
package relay
