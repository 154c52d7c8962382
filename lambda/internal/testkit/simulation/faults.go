package simulation

import (
	"context"
	"errors"
	"hash/fnv"
	"strconv"
	"sync"
)

// faults draws the faults of one run. A draw depends on the seed, a label
// (what is being decided) and the call's identity and repetition, so the
// same seed meets the same faults whatever order goroutines run in.
type faults struct {
	seed uint64
	// rate scales every fault's probability (0: a run without faults).
	rate float64

	mu     sync.Mutex
	counts map[string]int
}

func newFaults(seed uint64, rate float64) *faults {
	return &faults{seed: seed, rate: rate, counts: map[string]int{}}
}

// roll is a number in [0, 1) for the n-th draw of label about id.
func (f *faults) roll(label, id string) float64 {
	f.mu.Lock()
	k := label + "\x00" + id
	n := f.counts[k]
	f.counts[k]++
	f.mu.Unlock()
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatUint(f.seed, 36) + "\x00" + k + "\x00" + strconv.Itoa(n)))
	// splitmix64's finalizer spreads fnv's low bits.
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// hit reports whether a fault of base probability p happens.
func (f *faults) hit(label, id string, p float64) bool {
	return f.roll(label, id) < p*f.rate
}

// instance is one Lambda execution environment (or one local process).
// A crash kills it: every later call it makes fails without effect, as a
// frozen or killed process's would.
type instance struct {
	mu   sync.Mutex
	dead bool
	// onKill, when set, runs once as the instance dies (local mode closes
	// its store then, so that nothing more is committed).
	onKill func()
}

func (i *instance) kill() {
	i.mu.Lock()
	was := i.dead
	i.dead = true
	i.mu.Unlock()
	if !was && i.onKill != nil {
		i.onKill()
	}
}

func (i *instance) alive() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return !i.dead
}

type instanceKey struct{}

// withInstance tags the calls made under ctx as the instance's.
func withInstance(ctx context.Context, in *instance) context.Context {
	return context.WithValue(ctx, instanceKey{}, in)
}

func instanceOf(ctx context.Context) *instance {
	in, _ := ctx.Value(instanceKey{}).(*instance)
	return in
}

// errKilled is what a dead instance's calls get; no model acts on them.
var errKilled = errors.New("simulation: the instance was killed")
