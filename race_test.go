//go:build race

package azauthtrace_test

// raceEnabled reports that the tests run under the race detector, whose
// sync.Pool drops items at random: memory measured then is not what a
// program without it allocates.
const raceEnabled = true
