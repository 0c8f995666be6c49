package cloudfunctions

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSplitParameters(t *testing.T) {
	remote := map[string]string{"region": "KR", "secretKey": "s3cr3t", "added": "by hand", "both": "x"}
	plain, sensitive := splitParameters(remote,
		map[string]string{"region": "old", "both": "x"},
		map[string]string{"secretKey": "old", "both": "x", "gone": "y"})
	if want := map[string]string{"region": "KR"}; !reflect.DeepEqual(plain, want) {
		t.Errorf("plain = %v, want %v", plain, want)
	}
	// A key the state does not know is never shown; a key in both (only
	// possible in a broken state) stays hidden.
	if want := map[string]string{"secretKey": "s3cr3t", "added": "by hand", "both": "x"}; !reflect.DeepEqual(sensitive, want) {
		t.Errorf("sensitive = %v, want %v", sensitive, want)
	}
	// After an import nothing is known: everything is sensitive.
	plain, sensitive = splitParameters(remote, nil, nil)
	if len(plain) != 0 || len(sensitive) != len(remote) {
		t.Errorf("import: plain %v, sensitive %d keys", plain, len(sensitive))
	}
}

func TestMapValueKeepsNullOrEmpty(t *testing.T) {
	if v := mapValue(nil, types.MapNull(types.StringType)); !v.IsNull() {
		t.Errorf("empty with null state = %v, want null", v)
	}
	if v := mapValue(map[string]string{}, types.MapValueMust(types.StringType, nil)); v.IsNull() || len(v.Elements()) != 0 {
		t.Errorf("empty with {} state = %v, want {}", v)
	}
}

func TestHashSensitive(t *testing.T) {
	m := map[string]string{"secretKey": "s3cr3t", "token": "abc"}
	h := hashSensitive("key-1", m)
	if !strings.HasPrefix(h.ValueString(), sensitiveHashPrefix) || len(h.ValueString()) != len(sensitiveHashPrefix)+64 {
		t.Fatalf("hash = %s", h)
	}
	if strings.Contains(h.ValueString(), "s3cr3t") {
		t.Fatal("the hash shows the value")
	}
	if h2 := hashSensitive("key-1", map[string]string{"token": "abc", "secretKey": "s3cr3t"}); !h2.Equal(h) {
		t.Error("the hash depends on map order")
	}
	for name, other := range map[string]string{
		"changed value": hashSensitive("key-1", map[string]string{"secretKey": "s3cr3T", "token": "abc"}).ValueString(),
		"moved value":   hashSensitive("key-1", map[string]string{"secretKey": "abc", "token": "s3cr3t"}).ValueString(),
		"other key":     hashSensitive("key-2", m).ValueString(),
		"fewer":         hashSensitive("key-1", map[string]string{"secretKey": "s3cr3t"}).ValueString(),
	} {
		if other == h.ValueString() {
			t.Errorf("%s: same hash", name)
		}
	}
	if !hashSensitive("key-1", nil).IsNull() {
		t.Error("no sensitive parameters must give null")
	}
}

func TestMergeParameters(t *testing.T) {
	got := mergeParameters(map[string]string{"a": "1"}, map[string]string{"b": "2"})
	if want := map[string]string{"a": "1", "b": "2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("merge = %v", got)
	}
	if got := sensitiveValues(map[string]string{"a": "x", "b": ""}); !reflect.DeepEqual(got, []string{"x"}) {
		t.Errorf("sensitiveValues = %v", got)
	}
}
