package pluginproc

import (
	"slices"
	"testing"
)

func TestQuietLogEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		environ []string
		quiet   bool
	}{
		{"no logging asked for", []string{"PATH=/usr/bin", "HOME=/root", "NCLOUD_REGION=KR"}, true},
		{"TF_LOG set", []string{"PATH=/usr/bin", "TF_LOG=debug"}, false},
		{"TF_LOG_PROVIDER set", []string{"TF_LOG_PROVIDER=trace"}, false},
		{"provider-specific variable set", []string{"TF_LOG_PROVIDER_NCP=debug"}, false},
		{"SDK variable set", []string{"TF_LOG_SDK_FRAMEWORK=trace"}, false},
		{"a name that only contains TF_LOG", []string{"MY_TF_LOG=1"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := QuietLogEnv(tc.environ, "ncp")
			if !tc.quiet {
				if got != nil {
					t.Errorf("QuietLogEnv(%v) = %v, want nothing changed", tc.environ, got)
				}
				return
			}
			for _, want := range []string{"TF_LOG_SDK=off", "TF_LOG_SDK_FRAMEWORK=off", "TF_LOG_PROVIDER=off", "TF_LOG_PROVIDER_NCP=off"} {
				if !slices.Contains(got, want) {
					t.Errorf("QuietLogEnv(%v) = %v, lacks %s", tc.environ, got, want)
				}
			}
		})
	}
}
