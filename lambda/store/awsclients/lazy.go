package awsclients

import (
	"context"
	"sync"
)

// lazy builds a value on first use and keeps it; a failed build is tried
// again on the next use.
type lazy[T any] struct {
	build func(context.Context) (T, error)

	mu    sync.Mutex
	value T
	built bool
}

func (l *lazy[T]) get(ctx context.Context) (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.built {
		return l.value, nil
	}
	v, err := l.build(ctx)
	if err == nil {
		l.value, l.built = v, true
	}
	return v, err
}
