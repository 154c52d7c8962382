package relay

import "context"

// Refuse answers a request that an adapter refused before the relay could
// read it (too large, not base64, not an API Gateway event, a wrong path,
// a web page's request in local mode), and logs and counts it like every
// refusal, so the rejected-requests alarm sees it.
func (h *Handler) Refuse(ctx context.Context, req Request, status int, reason string) Response {
	resp := ErrorResponse(status, reason)
	h.report(ctx, Report{RequestID: req.RequestID, Outcome: Rejected, Status: status, Reason: reason})
	return resp
}
