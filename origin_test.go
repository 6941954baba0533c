package azauthtrace

import (
	"net/http"
	"net/url"
	"testing"
)

func TestDetectOriginManagedIdentityPaths(t *testing.T) {
	for _, tt := range []struct {
		url    string
		header http.Header
		want   miKind
	}{
		{"http://169.254.169.254/metadata/identity/oauth2/token", nil, miIMDS},
		{"http://localhost:40342/Metadata/Identity/oauth2/token", nil, miArc},
		{"http://127.0.0.1:41741/MSI/token/?api-version=2019-08-01", nil, miAppService},
		{"http://127.0.0.1:41741/anything", http.Header{"X-Identity-Header": {"h"}}, miAppService},
		{"http://10.0.0.4:8080/MSI/Auth", nil, miAzureML},
		{"http://localhost:50342/OAuth2/Token", nil, miCloudShell},
		{"http://10.0.0.5/Token", http.Header{"Metadata": {"true"}}, miIMDS},
		{"https://management.azure.com/subscriptions/S/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/A", nil, miNone},
	} {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		req := &http.Request{URL: u, Header: tt.header}
		if req.Header == nil {
			req.Header = http.Header{}
		}
		if got := detectOrigin(req, http.Header{}).mi; got != tt.want {
			t.Errorf("%s: managed identity kind %d, want %d", tt.url, got, tt.want)
		}
	}
}

// TestDetectOriginDoesNotAllocate covers a resource path with capitals, as
// ARM's are.
func TestDetectOriginDoesNotAllocate(t *testing.T) {
	u, _ := url.Parse("https://management.azure.com/subscriptions/S/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/A")
	req := &http.Request{URL: u, Header: http.Header{"Authorization": {"Bearer x"}}}
	h := http.Header{"X-Ms-Request-Id": {"r"}}
	if n := testing.AllocsPerRun(100, func() { detectOrigin(req, h) }); n != 0 {
		t.Errorf("detectOrigin allocates %v times", n)
	}
}
