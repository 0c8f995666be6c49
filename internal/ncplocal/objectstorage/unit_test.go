package objectstorage

import (
	"net/url"
	"strings"
	"testing"
)

func TestPaginate(t *testing.T) {
	t.Parallel()
	names := []string{"a", "b/1", "b/2", "b/3", "c", "d/x/1", "d/y"}
	render := func(items []listItem) string {
		var out []string
		for _, it := range items {
			out = append(out, it.name)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		prefix, delim, after string
		max                  int
		want                 string
		truncated            bool
	}{
		{"", "", "", 100, "a,b/1,b/2,b/3,c,d/x/1,d/y", false},
		{"", "/", "", 100, "a,b/,c,d/", false},
		{"", "/", "", 2, "a,b/", true},
		{"", "/", "b/", 2, "c,d/", false},
		{"", "/", "b/1", 10, "c,d/", false},
		{"b/", "", "b/1", 10, "b/2,b/3", false},
		{"d/", "/", "", 10, "d/x/,d/y", false},
		{"", "", "", 0, "", false},
		{"zzz", "", "", 10, "", false},
		{"", "", "a", 3, "b/1,b/2,b/3", true},
	} {
		items, truncated := paginate(names, tc.prefix, tc.delim, tc.after, tc.max)
		if got := render(items); got != tc.want || truncated != tc.truncated {
			t.Errorf("paginate(%q,%q,%q,%d) = %s,%v; want %s,%v", tc.prefix, tc.delim, tc.after, tc.max, got, truncated, tc.want, tc.truncated)
		}
	}
}

func TestParseRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header        string
		size          int64
		start, length int64
		none, invalid bool
	}{
		{header: "", size: 10, none: true},
		{header: "bytes=0-9", size: 10, start: 0, length: 10},
		{header: "bytes=3-", size: 10, start: 3, length: 7},
		{header: "bytes=-4", size: 10, start: 6, length: 4},
		{header: "bytes=5-2", size: 10, none: true},
		{header: "items=0-1", size: 10, none: true},
		{header: "bytes=0-1,3-4", size: 10, none: true},
		{header: "bytes=abc", size: 10, none: true},
		{header: "bytes=x-5", size: 10, none: true},
		{header: "bytes=3-x", size: 10, none: true},
		{header: "bytes=-x", size: 10, none: true},
		{header: "bytes=-", size: 10, none: true},
		{header: "bytes=-1-2", size: 10, none: true},
		{header: "bytes=10-", size: 10, invalid: true},
		{header: "bytes=-0", size: 10, invalid: true},
		{header: "bytes=0-", size: 0, invalid: true},
	} {
		r, err := parseRange(tc.header, tc.size)
		switch {
		case tc.invalid:
			if err == nil || asS3Error(err).header.Get("Content-Range") != "bytes */10" && tc.size == 10 {
				t.Errorf("%q: want InvalidRange, got %+v %v", tc.header, r, err)
			}
		case tc.none:
			if r != nil || err != nil {
				t.Errorf("%q: want no range, got %+v %v", tc.header, r, err)
			}
		default:
			if err != nil || r == nil || r.start != tc.start || r.length != tc.length {
				t.Errorf("%q: got %+v %v", tc.header, r, err)
			}
		}
	}
}

func TestCanonicalEncoding(t *testing.T) {
	t.Parallel()
	if got := uriEncode("a b/c+d~e_f.g-h%ü", true); got != "a%20b/c%2Bd~e_f.g-h%25%C3%BC" {
		t.Errorf("uriEncode path = %s", got)
	}
	if got := uriEncode("a/b", false); got != "a%2Fb" {
		t.Errorf("uriEncode value = %s", got)
	}
	q, _ := url.ParseQuery("prefix=a%20b&acl&max-keys=2&X-Amz-Signature=zz&b=2&b=1")
	if got := canonicalQuery(q, "X-Amz-Signature"); got != "acl=&b=1&b=2&max-keys=2&prefix=a%20b" {
		t.Errorf("canonicalQuery = %s", got)
	}
}
