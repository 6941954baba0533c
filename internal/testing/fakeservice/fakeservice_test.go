package fakeservice_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/azauthtrace/azauthtrace/internal/testing/corpus"
	"github.com/azauthtrace/azauthtrace/internal/testing/fakeservice"
)

func get(t *testing.T, c *http.Client, url, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestServerAnswersWithCorpusCases(t *testing.T) {
	s := fakeservice.Start(
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.ARMHost + "/subscriptions/{id}/resourcegroups",
			Response: fakeservice.Case("arm_403_authorization_failed"),
		},
		fakeservice.Route{
			Pattern:  "GET " + fakeservice.GraphHost + "/v1.0/me",
			Response: fakeservice.Case("graph_401_cae_insufficient_claims_location"),
			Accept:   fakeservice.HasClaim("xms_cc"),
		},
	)
	defer s.Close()

	arm := corpus.MustGet("arm_403_authorization_failed")
	resp, body := get(t, s.Client(), s.URL(fakeservice.ARMHost)+"/subscriptions/s1/resourcegroups?api-version=2022-09-01", "")
	if resp.StatusCode != arm.Status() || !bytes.Equal(body, []byte(arm.Body)) {
		t.Errorf("ARM: got %d %q, want %d %q", resp.StatusCode, body, arm.Status(), arm.Body)
	}
	if got, want := resp.Header.Get("x-ms-correlation-request-id"), arm.Header().Get("x-ms-correlation-request-id"); got != want {
		t.Errorf("x-ms-correlation-request-id = %q, want %q", got, want)
	}

	// The Graph case says its body is gzip-encoded: the client gets it
	// decoded, as from Graph.
	graph := corpus.MustGet("graph_401_cae_insufficient_claims_location")
	resp, body = get(t, s.Client(), s.URL(fakeservice.GraphHost)+"/v1.0/me", "e30.eyJvaWQiOiJhIn0.sig")
	if resp.StatusCode != http.StatusUnauthorized || string(body) != graph.Body {
		t.Errorf("Graph: got %d %q", resp.StatusCode, body)
	}
	if resp.Header.Get("WWW-Authenticate") != graph.Header().Get("WWW-Authenticate") {
		t.Errorf("WWW-Authenticate = %q", resp.Header.Get("WWW-Authenticate"))
	}
	// {"oid":"a","xms_cc":["cp1"]}
	resp, _ = get(t, s.Client(), s.URL(fakeservice.GraphHost)+"/v1.0/me", "e30.eyJvaWQiOiJhIiwieG1zX2NjIjpbImNwMSJdfQ.sig")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("Graph with the claim: got %d, want 200", resp.StatusCode)
	}

	resp, _ = get(t, s.Client(), s.URL(fakeservice.KeyVaultHost)+"/secrets/x", "")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unrouted request: got %d, want 404", resp.StatusCode)
	}

	reqs := s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("recorded %d requests, want 4", len(reqs))
	}
	if reqs[0].Host != fakeservice.ARMHost || reqs[0].Path != "/subscriptions/s1/resourcegroups" || reqs[0].TokenClaims != nil {
		t.Errorf("request 0 = %+v", reqs[0])
	}
	if reqs[1].TokenClaims["oid"] != "a" {
		t.Errorf("request 1 claims = %v", reqs[1].TokenClaims)
	}
	if _, ok := reqs[2].TokenClaims["xms_cc"]; !ok {
		t.Errorf("request 2 claims = %v", reqs[2].TokenClaims)
	}
}

func TestOK(t *testing.T) {
	s := fakeservice.Start(fakeservice.Route{
		Pattern:  "GET " + fakeservice.StorageHost + "/c/b",
		Response: fakeservice.OK(`{"ok":true}`),
	})
	defer s.Close()
	resp, body := get(t, s.Client(), s.URL(fakeservice.StorageHost)+"/c/b", "")
	if resp.StatusCode != http.StatusOK || string(body) != `{"ok":true}` || resp.Header.Get("x-ms-request-id") == "" {
		t.Errorf("got %d %q %v", resp.StatusCode, body, resp.Header)
	}
}
