package vpc

import (
	"crypto/rand"
)

// Prefixes of the names the provider generates when name is not set.
const (
	vpcNamePrefix    = "tf-vpc"
	subnetNamePrefix = "tf-subnet"
)

// nameAlphabet is what generated name suffixes are made of.
const nameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// generatedSuffixLen is the length of the random part of a generated name:
// 36^8 (about 2.8e12) names per prefix, so a collision is practically
// impossible and the name identifies the object for reconciliation.
const generatedSuffixLen = 8

// generateName returns "<prefix>-<8 random lowercase letters and digits>",
// which the NCP name rule accepts for the prefixes above. The provider
// generates names itself, rather than leaving it to NCP, so that a create
// whose outcome is unknown can be reconciled by looking the name up.
func generateName(prefix string) string {
	buf := make([]byte, generatedSuffixLen)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails
	for i := range buf {
		buf[i] = nameAlphabet[int(buf[i])%len(nameAlphabet)]
	}
	return prefix + "-" + string(buf)
}
