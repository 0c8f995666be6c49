package emu

import "net/http"

// FaultAnswer is one "nothing was done, try again" answer of a service, in
// the service's own envelope: VPC's 1001015 as a legacy responseError,
// Cloud Functions' 80031 in the gateway envelope. Fault rules of kind
// "service" (any of the service's answers) and "code:<code>" (this one)
// answer with it instead of letting the service handle the request.
// legacyapi.FaultAnswer and rest.FaultAnswer build them.
type FaultAnswer struct {
	// Code is the service's code, as the client sees it ("1001015").
	Code string
	// Write writes the answer to r.
	Write func(w http.ResponseWriter, r *http.Request)
}

// FaultAnswerer is implemented by a service that registers its retryable
// answers.
type FaultAnswerer interface {
	FaultAnswers() []FaultAnswer
}
