// Package relay is the relay's first half, the one Clockify waits for: a
// webhook request is verified, decoded and routed, its delivery is put on
// the queue, and the caller gets an answer. Front makes it, with the
// interactions, the accept half's one http.Handler, served as is locally
// and through package apigateway in Lambda; one middleware there logs and
// counts every request. The queue is all it knows of delivery.
//
// Must not import: discord, message, schedule/digest/chart, deliver,
// deliver/coalesce, store/sqs, store/dynamodb, store/localstore.
package relay
