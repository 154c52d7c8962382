//go:build race

package simulation

// The race detector slows a run tenfold: make test runs the full count
// without it (make simulate), and a few seeds with it.
const defaultSeeds = 30
