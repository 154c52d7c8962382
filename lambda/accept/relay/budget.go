package relay

import (
	"context"
	"time"
)

const (
	// apiGatewayTimeout is API Gateway's integration timeout: past it the
	// caller gets a 504 whatever the function does.
	apiGatewayTimeout = 29 * time.Second
	// safetyMargin is kept back from every deadline to write the answer.
	safetyMargin = 500 * time.Millisecond
	// localBudget bounds a request when no deadline is given (local mode).
	localBudget = 10 * time.Second
)

// withBudget bounds all outbound calls of a request: by the invocation's
// deadline less a margin, and never past API Gateway's timeout.
func withBudget(ctx context.Context) (context.Context, context.CancelFunc) {
	budget := apiGatewayTimeout - safetyMargin
	if d, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(d)-safetyMargin)
	} else {
		budget = min(budget, localBudget)
	}
	return context.WithTimeout(ctx, budget)
}
