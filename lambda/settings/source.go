package settings

import (
	"context"
	"fmt"
	"time"

	"clockify-discord-relay/lambda/secrets"
)

// SecretsTTL is how long secrets read from SSM are kept, so a rotated
// secret takes effect within this time without a redeploy.
const SecretsTTL = 5 * time.Minute

// ParameterStore reads SSM parameters by name, decrypted (store/ssm).
type ParameterStore interface {
	Get(ctx context.Context, names ...string) (map[string]string, error)
}

// Source gives the relay its secrets: the values set in the environment,
// and the rest from the parameter store, read lazily (store is built on
// first use), parsed as the environment's are, and cached.
func (s Settings) Source(store func(context.Context) (ParameterStore, error), now func() time.Time) secrets.Source {
	var names []string
	for _, sec := range secretTable {
		if p := s.parameters[sec.name]; p != "" {
			names = append(names, p)
		}
	}
	if len(names) == 0 {
		return secrets.Static(s.env.Values)
	}
	return secrets.NewCached(func(ctx context.Context) (secrets.Values, error) {
		params, err := store(ctx)
		if err != nil {
			return secrets.Values{}, err
		}
		values, err := params.Get(ctx, names...)
		if err != nil {
			return secrets.Values{}, err
		}
		out := s.env
		last := "" // the parameter that completes the routes
		for _, sec := range secretTable {
			name := s.parameters[sec.name]
			v, ok := values[name]
			if name == "" || !ok {
				continue
			}
			if err := sec.parse(v, &out); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", name, err)
			}
			if sec.name == Routes || sec.name == RouteWebhooks {
				last = name
			}
		}
		if last != "" {
			if out.Routes, err = s.completeRoutes(out.Routes, out.hooks, false); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", last, err)
			}
		}
		return out.Values, nil
	}, SecretsTTL, now)
}
