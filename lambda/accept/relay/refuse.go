package relay

import "net/http"

// Refuse answers r with status and reason, as a JSON error, and has the
// refusal reported as rejected (behind Front), so the rejected-requests
// alarm sees it wherever it was refused.
func Refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	if rep := reportOf(r.Context()); rep != nil {
		rep.Outcome, rep.Reason = Rejected, reason
	}
	write(w, status, answer{Error: reason})
}
