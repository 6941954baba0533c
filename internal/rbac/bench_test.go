package rbac

import (
	"net/url"
	"testing"
)

func benchmarkLeast(b *testing.B, op string, data bool) {
	c := Builtin()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Least(op, data); !ok {
			b.Fatal("no role")
		}
	}
}

// BenchmarkLeastARM chooses the role for an ARM action.
func BenchmarkLeastARM(b *testing.B) {
	benchmarkLeast(b, "Microsoft.Compute/virtualMachines/write", false)
}

// BenchmarkLeastStorageData chooses the role for a storage data action.
func BenchmarkLeastStorageData(b *testing.B) {
	benchmarkLeast(b, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true)
}

// BenchmarkLeastResourceGroupRead chooses the role for the operation the
// most roles grant.
func BenchmarkLeastResourceGroupRead(b *testing.B) {
	benchmarkLeast(b, "Microsoft.Resources/subscriptions/resourceGroups/read", false)
}

// BenchmarkGrantBlob is the whole Grant for a denied blob read.
func BenchmarkGrantBlob(b *testing.B) {
	c := Builtin()
	u, _ := url.Parse("https://acct1.blob.core.windows.net/images/a/b.png")
	d := Denial{Method: "GET", URL: u, Assignee: oid, AssigneeType: "ServicePrincipal"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Grant(d); !ok {
			b.Fatal("no grant")
		}
	}
}

// BenchmarkGrantARM is the whole Grant for an ARM AuthorizationFailed.
func BenchmarkGrantARM(b *testing.B) {
	c := Builtin()
	d := Denial{Action: "Microsoft.Compute/virtualMachines/write", Scope: sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1", Method: "PATCH", Assignee: oid, AssigneeType: "ServicePrincipal"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Grant(d); !ok {
			b.Fatal("no grant")
		}
	}
}

// BenchmarkDecode is the first use: decoding the embedded table and
// building the catalog.
func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		raws, date := decode(rolesBin, idsBin)
		newCatalog(raws, date)
	}
}
