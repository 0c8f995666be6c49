package legacyapi

import (
	"net/url"
	"testing"
)

// FuzzPage feeds pageNo and pageSize to Page and Paginate: any input is a
// page or the invalid-parameter error, never a panic, and a page never
// holds more than pageSize items.
func FuzzPage(f *testing.F) {
	for _, seed := range [][2]string{
		{"", ""}, {"1", "2"}, {"0", "1000"}, {"-1", "2"}, {"x", "2"}, {"2", ""},
		{"9223372036854775807", "2"}, {"4611686018427387904", "4"}, {"2147483647", "1000"},
		{"2147483648", "1"}, {"1", "1001"}, {"1e3", "1"}, {" 1", "1"},
	} {
		f.Add(seed[0], seed[1])
	}
	items := make([]int, 2500)
	f.Fuzz(func(t *testing.T, no, size string) {
		v := url.Values{}
		if no != "" {
			v.Set("pageNo", no)
		}
		if size != "" {
			v.Set("pageSize", size)
		}
		c := &Call{Action: "getVpcList", Params: v}
		p, e := c.Page()
		if e != nil {
			if e.Code != "1000036" || e.Status != 400 {
				t.Fatalf("error %+v", e)
			}
			return
		}
		got := Paginate(items, p)
		if p.Size > 0 && len(got) > p.Size {
			t.Fatalf("%+v: %d items", p, len(got))
		}
	})
}
