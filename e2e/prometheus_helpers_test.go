//go:build unix

package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// prometheus is a running Prometheus server.
type prometheus struct {
	addr string // host:port of its HTTP API
	out  *lockedBuffer
}

// prometheusConfig is what the tests vary in Prometheus's configuration.
type prometheusConfig struct {
	// rules are rule files, loaded with an evaluation interval of 1s.
	rules []string
	// translation is the OTLP receiver's translation_strategy; "" keeps
	// Prometheus's default.
	translation string
	// scrape lists host:port targets, each scraped every second as a job
	// of its own named by the map's key.
	scrape map[string]string
}

// yaml returns the configuration file.
func (c prometheusConfig) yaml() string {
	var b strings.Builder
	b.WriteString("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
	if len(c.rules) > 0 {
		b.WriteString("rule_files:\n")
		for _, r := range c.rules {
			fmt.Fprintf(&b, "  - %q\n", r)
		}
	}
	if c.translation != "" {
		fmt.Fprintf(&b, "otlp:\n  translation_strategy: %s\n", c.translation)
	}
	if len(c.scrape) > 0 {
		b.WriteString("scrape_configs:\n")
		jobs := make([]string, 0, len(c.scrape))
		for job := range c.scrape {
			jobs = append(jobs, job)
		}
		slices.Sort(jobs)
		for _, job := range jobs {
			fmt.Fprintf(&b, "  - job_name: %q\n    static_configs:\n      - targets: [%q]\n", job, c.scrape[job])
		}
	}
	return b.String()
}

// prometheusBinary returns the path of the Prometheus executable, built by
// the Go toolchain from the tools-only module in ./prometheus.
func prometheusBinary(t *testing.T) string {
	t.Helper()
	return goToolBinary(t, "prometheus", "prometheus")
}

// startPrometheus starts Prometheus on a free loopback port with the
// OTLP receiver on, a new storage directory and the configuration c, and
// waits until it is ready. It stops Prometheus when the test ends and logs
// its output if the test failed.
func startPrometheus(t *testing.T, c prometheusConfig) *prometheus {
	t.Helper()
	bin := prometheusBinary(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte(c.yaml()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &prometheus{addr: freeLoopbackAddr(t), out: new(lockedBuffer)}
	cmd := exec.Command(bin,
		"--config.file="+config,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+p.addr,
		"--web.enable-otlp-receiver",
	)
	// Prometheus looks for its web UI's files in its working directory;
	// there are none (the API is all the tests use).
	cmd.Dir = dir
	cmd.Env = environWithout("OTEL_")
	cmd.Stdout, cmd.Stderr = p.out, p.out
	srv := startServer(t, "Prometheus", cmd, 15*time.Second, func() {
		t.Logf("Prometheus configuration:\n%s\nPrometheus output:\n%s", c.yaml(), p.out)
	})
	srv.waitReady(t, 60*time.Second, func() (bool, string) {
		status, _, err := httpGet("http://" + p.addr + "/-/ready")
		return err == nil && status == http.StatusOK, fmt.Sprintf("http://%s/-/ready: %d %v", p.addr, status, err)
	})
	return p
}

// otlpEndpoint is the URL of Prometheus's OTLP receiver for metrics.
func (p *prometheus) otlpEndpoint() string {
	return "http://" + p.addr + "/api/v1/otlp/v1/metrics"
}

// api calls the HTTP API at path with the query parameters q and decodes
// the answer's data into v.
func (p *prometheus) api(t *testing.T, path string, q url.Values, v any) {
	t.Helper()
	u := "http://" + p.addr + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	status, body, err := httpGet(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	var res struct {
		Status string
		Data   json.RawMessage
		Error  string
	}
	if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK || res.Status != "success" {
		t.Fatalf("GET %s: %d %s", u, status, body)
	}
	if err := json.Unmarshal(res.Data, v); err != nil {
		t.Fatalf("GET %s: %v in %s", u, err, body)
	}
}

// promSample is one element of an instant vector.
type promSample struct {
	Metric map[string]string
	Value  [2]any // unix time, value as a string
}

func (s promSample) value() string { v, _ := s.Value[1].(string); return v }

// query evaluates expr now (/api/v1/query) and returns the vector.
func (p *prometheus) query(t *testing.T, expr string) []promSample {
	t.Helper()
	var res struct {
		ResultType string
		Result     []promSample
	}
	p.api(t, "/api/v1/query", url.Values{"query": {expr}}, &res)
	if res.ResultType != "vector" {
		t.Fatalf("query %s: result type %s, want vector", expr, res.ResultType)
	}
	return res.Result
}

// promAlert is an alert as /api/v1/alerts lists it.
type promAlert struct {
	Labels      map[string]string
	Annotations map[string]string
	State       string
	Value       string
}

func (a promAlert) String() string {
	return fmt.Sprintf("%s %s %v", a.Labels["alertname"], a.State, a.Labels)
}

// alerts returns the active (pending and firing) alerts.
func (p *prometheus) alerts(t *testing.T) []promAlert {
	t.Helper()
	var res struct{ Alerts []promAlert }
	p.api(t, "/api/v1/alerts", nil, &res)
	return res.Alerts
}

// labelNames returns the label names of the series that match the
// selector (/api/v1/labels).
func (p *prometheus) labelNames(t *testing.T, match string) []string {
	t.Helper()
	var names []string
	p.api(t, "/api/v1/labels", url.Values{"match[]": {match}}, &names)
	slices.Sort(names)
	return names
}

// metricNames returns the metric names of the series that match the
// selector (/api/v1/label/__name__/values).
func (p *prometheus) metricNames(t *testing.T, match string) []string {
	t.Helper()
	var names []string
	p.api(t, "/api/v1/label/__name__/values", url.Values{"match[]": {match}}, &names)
	slices.Sort(names)
	return names
}

// series returns the label sets of the series that match the selector
// (/api/v1/series).
func (p *prometheus) series(t *testing.T, match string) []map[string]string {
	t.Helper()
	var sets []map[string]string
	p.api(t, "/api/v1/series", url.Values{"match[]": {match}}, &sets)
	return sets
}

// lastEvaluation returns when the rule groups were last evaluated, the
// earliest of them (/api/v1/rules); the zero time before the first
// evaluation.
func (p *prometheus) lastEvaluation(t *testing.T) time.Time {
	t.Helper()
	var res struct {
		Groups []struct {
			Name           string
			LastEvaluation time.Time `json:"lastEvaluation"`
		}
	}
	p.api(t, "/api/v1/rules", nil, &res)
	var last time.Time
	for i, g := range res.Groups {
		if i == 0 || g.LastEvaluation.Before(last) {
			last = g.LastEvaluation
		}
	}
	return last
}

// waitFor polls check until it returns "" (nothing missing) or the
// deadline passes, and returns what check last found missing.
func waitFor(timeout time.Duration, check func() string) string {
	deadline := time.Now().Add(timeout)
	for {
		missing := check()
		if missing == "" || time.Now().After(deadline) {
			return missing
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// forDuration matches a rule's for: line in a rules file.
var forDuration = regexp.MustCompile(`(?m)^(\s+for:\s*)(\S+)\s*$`)

// shortenFor returns the rules file with every for: duration replaced by
// d, and how many it replaced.
func shortenFor(rules []byte, d string) ([]byte, int) {
	n := len(forDuration.FindAll(rules, -1))
	return forDuration.ReplaceAll(rules, []byte("${1}"+d)), n
}

// runPromtool runs "go tool promtool args..." in ./prometheus, outside any
// go.work, and returns its combined output.
func runPromtool(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := goCommand(t.Context(), "prometheus", append([]string{"tool", "promtool"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
