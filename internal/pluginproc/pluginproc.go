// Package pluginproc sets up the process of a plugin provider: what main
// does before serving. The provider's main uses it, and so does the no-op
// provider of the benchmarks, so that the refresh benchmark compares both
// under the same process settings.
package pluginproc

import (
	"os"
	"runtime/debug"
	"strings"
)

// GCPercent is the garbage collector target of the plugin process unless
// GOGC says otherwise. A plugin lives for one command and its heap stays
// small (tens of MiB for hundreds of resources), so collecting four times
// less often costs little memory and saves a fifth of its CPU time.
const GCPercent = 400

// Setup applies GCPercent (unless GOGC is set) and QuietLogEnv to the
// process of the provider of type typeName ("ncp").
func Setup(typeName string) error {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(GCPercent)
	}
	for _, kv := range QuietLogEnv(os.Environ(), typeName) {
		k, v, _ := strings.Cut(kv, "=")
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// QuietLogEnv returns the variables that turn the plugin's logging off when
// environ holds no TF_LOG* variable at all, for the provider of type
// typeName. Terraform and OpenTofu pass their environment to plugins and
// show a plugin's log lines only when TF_LOG or TF_LOG_PROVIDER (or one of
// their relatives) is set; otherwise they read and drop them. The SDK
// defaults to writing every trace line as JSON, and so does the provider's
// own logger: terraform-plugin-go sets its level from
// TF_LOG_PROVIDER_<TYPE> (TF_LOG_PROVIDER_NCP), TRACE when that is unset.
// Both are a large share of the plugin's CPU time in a plan, all of it
// thrown away. Any TF_LOG* variable leaves logging as the user asked.
func QuietLogEnv(environ []string, typeName string) []string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return nil
		}
	}
	return []string{
		"TF_LOG_SDK=off",
		"TF_LOG_SDK_PROTO=off",
		"TF_LOG_SDK_FRAMEWORK=off",
		"TF_LOG_PROVIDER=off",
		"TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(typeName, "-", "_")) + "=off",
	}
}
