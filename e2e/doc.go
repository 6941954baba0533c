// Package e2e holds end-to-end tests of azauthtrace with real Azure SDK
// clients whose dependency graphs are too large for the library's own
// go.mod: the azblob client against local fake services. It is a separate
// module that uses the library from the parent directory; run its tests
// from this directory with go test ./...
package e2e
