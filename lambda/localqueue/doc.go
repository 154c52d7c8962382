// Package localqueue is the delivery queue of local mode: jobs, the keys
// of recently accepted jobs and dead letters, kept in one bbolt file under
// DATA_DIR, and a worker in the same process that drains it through the
// same Deliverer as the Lambda consumer. Every Enqueue is committed to disk
// before the relay answers, so a kill -9 loses no acknowledged event.
package localqueue
