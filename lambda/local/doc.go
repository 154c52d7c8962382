// Package local is local mode: the relay on a laptop, in one process. It
// serves the accept half on 127.0.0.1:$PORT from the first instant, opens
// the store in DATA_DIR meanwhile, and runs the queue's worker and the
// schedules beside it; a one-off command run in another process while it
// holds DATA_DIR is run here, over loopback. main gives it the halves
// already built (Relay); it builds none of them itself.
//
// Must not import: subcommand, invocation, settings, deliver,
// accept/apigateway.
package local
