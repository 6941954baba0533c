package graphperm

import "testing"

// BenchmarkLookup is a lookup once the table is decoded: what each Graph
// permission failure after the first costs.
func BenchmarkLookup(b *testing.B) {
	tb := mustLoad(b)
	tok := Token{AppOnly: true, AppID: appID, Roles: []string{"Mail.ReadBasic.All"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := tb.lookup("POST", "/v1.0/groups/45b7d2e7-b882-4a80-ba97-10b7a63b8fa4/members/$ref", tok); !ok {
			b.Fatal("no result")
		}
	}
}

// BenchmarkLookupDeep is a lookup of a long drive item path.
func BenchmarkLookupDeep(b *testing.B) {
	tb := mustLoad(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := tb.lookup("GET", "/v1.0/users/a@b.c/drive/root:/a/b/c.xlsx:/workbook/worksheets/Sheet1/range(address='A1:B2')", Token{}); !ok {
			b.Fatal("no result")
		}
	}
}

// BenchmarkDecode is the first lookup's extra cost: decoding the table.
func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(compact); err != nil {
			b.Fatal(err)
		}
	}
}
