#!/usr/bin/env bash
# Runs every test of azauthtrace: formatting, vet, the unit and end-to-end
# tests under the race detector (where a C compiler makes it available),
# and a short run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")"

# Each module is tested with its own go.mod, outside the workspace that
# go.work makes of the library and the example (for go run ./example).
export GOWORK=off

# The fuzz budget is a count of inputs, not a duration: with a duration,
# Go 1.26's fuzz coordinator can report "context deadline exceeded" as a
# failure when the time runs out under load (go.dev/issue/75804).
fuzztime="${FUZZTIME:-30000x}"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

# The race detector needs cgo and a C compiler. On a machine that has Go
# and no C compiler, the tests run without it, and say so.
race=-race
if [ "$(go env CGO_ENABLED)" != 1 ] || ! command -v "$(go env CC)" >/dev/null; then
  echo "== no C compiler for the race detector: the tests run without -race"
  race=
  export CGO_ENABLED=0
fi

for mod in . example; do
  echo "== $mod: go vet, go test $race"
  (cd "$mod" && go vet ./... && go test $race -count=1 ./...)
done

# Memory bounds, measured without the race detector (under it, sync.Pool
# drops items at random and allocations are not a program's).
echo "== .: memory bounds without -race"
go test -count=1 -run '^(TestParsersAreLinear|TestFromErrorLongText)$' .

echo "== fuzz smoke runs ($fuzztime each)"
for target in .:FuzzTokenBody .:FuzzServiceBody .:FuzzChallenge .:FuzzErrorText .:FuzzParseChain \
  ./internal/principal:FuzzFromAuthorization ./internal/safe:FuzzClean \
  ./internal/rbac:FuzzGrant ./internal/graphperm:FuzzLookup; do
  go test -run '^$' -fuzz "^${target#*:}\$" -fuzztime "$fuzztime" "${target%%:*}"
done

# Jaeger for e2e's Jaeger test, from its tools-only module. The first build
# takes minutes and is cached (go tool caches the executable); later runs
# only look it up.
if [ -f e2e/jaeger/go.mod ]; then
  echo "== e2e/jaeger: build Jaeger"
  (cd e2e/jaeger && go tool -n jaeger >/dev/null)
fi

# Prometheus and promtool for e2e's Prometheus tests, from their tools-only
# module. The first build takes minutes (about 7 on 2
# cores, with 3.3 GB of memory) and is cached like Jaeger's.
if [ -f e2e/prometheus/go.mod ]; then
  echo "== e2e/prometheus: build Prometheus and promtool"
  (cd e2e/prometheus && go tool -n prometheus >/dev/null && go tool -n promtool >/dev/null)
fi

# The OpenTelemetry Collector for e2e's Azure Monitor test, from its own
# module. The first build takes minutes; later ones come from the build
# cache.
if [ -f e2e/otelcol/go.mod ]; then
  echo "== e2e/otelcol: go vet, build the collector"
  (cd e2e/otelcol && go vet ./... && go build -o /dev/null .)
fi

echo "== e2e: go vet, go test $race"
(cd e2e && go vet ./... && go test $race -count=1 ./...)
