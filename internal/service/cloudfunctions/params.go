package cloudfunctions

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Parameters of packages, actions, sequences and triggers.
//
// NCP keeps one map of default parameters per object. The provider splits
// it in two attributes: parameters, shown in plans, and
// sensitive_parameters (Sensitive), whose values never appear in plans,
// state diffs or logs. Both are merged into the one map that is sent.
//
// Read puts each key NCP answers back where the state had it; a key the
// state does not know (added outside Terraform, or every key after an
// import) goes to sensitive_parameters, since nothing says that its value
// may be shown. A sensitive value changed outside Terraform is refreshed
// into state like any other: the plan shows that sensitive_parameters
// changes, never how.
//
// sensitive_parameters_hash, a computed attribute, is a keyed hash of the
// sensitive parameters (hashSensitive): it changes exactly when one of them
// does, so a change made outside Terraform shows as a changed hash in the
// plan, without a value, and other resources may depend on it (to
// redeploy when a secret is rotated).

// stringMap reads a map attribute; null and unknown give nil.
func stringMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := make(map[string]string, len(m.Elements()))
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// mapValue returns values as a map attribute; an empty result takes the
// form (null or empty) of like, so that a refresh never flips an omitted
// map to {} or back.
func mapValue(values map[string]string, like types.Map) types.Map {
	if len(values) == 0 {
		if like.IsNull() || like.IsUnknown() {
			return types.MapNull(types.StringType)
		}
		return types.MapValueMust(types.StringType, map[string]attr.Value{})
	}
	elems := make(map[string]attr.Value, len(values))
	for k, v := range values {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// mergeParameters is the map sent to NCP: plain and sensitive together
// (a key in both is refused at plan time by parametersValidator).
func mergeParameters(plain, sensitive map[string]string) map[string]string {
	out := make(map[string]string, len(plain)+len(sensitive))
	maps.Copy(out, plain)
	maps.Copy(out, sensitive)
	return out
}

// splitParameters splits the parameters NCP holds (remote) into the plain
// and the sensitive ones: a key stays where the state had it
// (statePlain or stateSensitive); any other key is sensitive.
func splitParameters(remote map[string]string, statePlain, stateSensitive map[string]string) (plain, sensitive map[string]string) {
	plain, sensitive = map[string]string{}, map[string]string{}
	for k, v := range remote {
		_, wasSensitive := stateSensitive[k]
		_, wasPlain := statePlain[k]
		if wasPlain && !wasSensitive {
			plain[k] = v
		} else {
			sensitive[k] = v
		}
	}
	return plain, sensitive
}

// sensitiveHashPrefix starts every sensitive_parameters_hash, naming its
// algorithm.
const sensitiveHashPrefix = "hmac-sha256:"

// hashKeyLabel separates the hash key from other uses of the secret key.
const hashKeyLabel = "ncp sensitive_parameters_hash v1\x00"

// hashSensitive returns sensitive_parameters_hash of sensitive: an
// HMAC-SHA256 of its keys and values (sorted, JSON-encoded) under a key
// derived from the provider's NCP secret key. Anyone can see the hash in a
// plan, but only someone holding the secret key could test guesses of a
// value against it, and they can read the parameters from NCP anyway. No
// sensitive parameters gives null.
//
// The hash depends on the secret key: after a key rotation the next refresh
// reports a new hash (a change outside Terraform) with nothing to apply.
func hashSensitive(secretKey string, sensitive map[string]string) types.String {
	if len(sensitive) == 0 {
		return types.StringNull()
	}
	keys := slices.Sorted(maps.Keys(sensitive))
	pairs := make([][2]string, len(keys))
	for i, k := range keys {
		pairs[i] = [2]string{k, sensitive[k]}
	}
	msg, _ := json.Marshal(pairs) // strings always encode
	derived := sha256.Sum256([]byte(hashKeyLabel + secretKey))
	mac := hmac.New(sha256.New, derived[:])
	mac.Write(msg)
	return types.StringValue(sensitiveHashPrefix + hex.EncodeToString(mac.Sum(nil)))
}

// sensitiveValues lists the values of sensitive, for the client to hide
// them in logs and errors (client.JSONRequest.Sensitive).
func sensitiveValues(sensitive map[string]string) []string {
	out := make([]string, 0, len(sensitive))
	for _, v := range sensitive {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
