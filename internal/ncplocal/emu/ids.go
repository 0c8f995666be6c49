package emu

import (
	"crypto/rand"
	"encoding/hex"
)

// NewRequestID returns a random identifier in the 8-4-4-4-12 hex layout of a
// version 4 UUID, as NCP uses for request ids (legacy "requestId", the
// x-ncp-apigw-request-id header).
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// NewTraceID returns a random 32-digit hex identifier, the form used for the
// x-ncp-trace-id response header.
func NewTraceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
