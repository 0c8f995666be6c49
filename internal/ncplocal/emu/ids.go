package emu

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// randomHex returns n random bytes as lowercase hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return hex.EncodeToString(b)
}

// NewRequestID returns a random identifier in the 8-4-4-4-12 hex layout of a
// version 4 UUID, as NCP uses for request ids (legacy "requestId", the
// x-ncp-apigw-request-id header).
func NewRequestID() string {
	h := []byte(randomHex(16))
	h[12] = '4'                                                    // version 4
	h[16] = "89ab"[strings.IndexByte("0123456789abcdef", h[16])&3] // RFC 4122 variant
	return string(h[0:8]) + "-" + string(h[8:12]) + "-" + string(h[12:16]) + "-" + string(h[16:20]) + "-" + string(h[20:32])
}

// NewTraceID returns a random 32-digit hex identifier, the form used for the
// x-ncp-trace-id response header.
func NewTraceID() string { return randomHex(16) }

// NewS3RequestID returns a random request id in S3's style: 16 upper-case
// hex digits (x-amz-request-id, <RequestId>).
func NewS3RequestID() string { return strings.ToUpper(randomHex(8)) }

// Sequence hands out the numbers of one kind of object of a store: each
// larger than every number before it, never reused, not after Reset nor
// after a restart (the store journals every number it hands out). Create it
// with Store.Sequence.
type Sequence struct {
	store *Store
	name  string
	last  uint64
}

// Next returns the next number. It must be called in an Update transaction
// of the sequence's store.
func (q *Sequence) Next(tx *Tx) uint64 {
	tx.mustWrite("Sequence.Next")
	q.last++
	tx.seqs[q.name] = q.last
	return q.last
}

// NextString returns the next number in decimal, the form of NCP's object
// numbers (vpcNo, subnetNo, ...).
func (q *Sequence) NextString(tx *Tx) string { return strconv.FormatUint(q.Next(tx), 10) }

// Last returns the number handed out last.
func (q *Sequence) Last() uint64 {
	q.store.mu.RLock()
	defer q.store.mu.RUnlock()
	return q.last
}

// observe raises the sequence to n (a number found in restored state), so
// that it is never handed out again. The store's lock must be held.
func (q *Sequence) observe(n uint64) { q.last = max(q.last, n) }

// TimestampedID formats the ID of an object created at t as
// "<prefix>-YYYYMMDDhhmmss-XXXXXXX" in KST, the form of VOD Station channel
// IDs ("vs-20250821095732-*******", ncp-api.md §2.4). The last part is n,
// a number of a Sequence, in base 36 padded to seven digits, so IDs are
// unique and never reused; NCP's own last part is masked in the docs [?].
func TimestampedID(prefix string, t time.Time, n uint64) string {
	return fmt.Sprintf("%s-%s-%07s", prefix, t.In(KST).Format("20060102150405"), strconv.FormatUint(n, 36))
}

// KST is the zone NCP writes its local times in (UTC+9).
var KST = time.FixedZone("KST", 9*60*60)

// compareIDs orders object IDs: shorter first, then byte-wise. For decimal
// numbers without leading zeros that is numeric order; for IDs of one
// fixed-width layout (TimestampedID) it is creation order.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
