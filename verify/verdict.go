// Package verify turns the text of an EU Digital COVID Certificate QR into a
// verdict, offline: HC1 prefix, base45, zlib, COSE_Sign1 (through go-cose),
// CWT claims, the DCC itself, the signer's key usage, revocation, and the
// Italian scan-mode rules (school mode first).
//
// Everything is a pure function of its inputs: the trust data (signer
// certificates, settings, revocation list) is given to a Verifier, and the
// instant of the check is an argument of Check, never read from the clock
// inside. The person's name and date of birth leave this package only inside
// a privacy.Person, which cannot be printed or logged by accident.
package verify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/scuola/kiosk/privacy"
)

// Status is the result of a check, as the official Italian verifier defines
// it.
type Status string

// The statuses. Only StatusValid admits.
const (
	StatusValid       Status = "VALID"
	StatusNotValid    Status = "NOT_VALID"
	StatusNotValidYet Status = "NOT_VALID_YET"
	StatusExpired     Status = "EXPIRED"
	StatusRevoked     Status = "REVOKED"
	StatusTestNeeded  Status = "TEST_NEEDED"
	StatusNotEUDCC    Status = "NOT_EU_DCC"
)

// Stage names the step of the pipeline that refused a certificate.
type Stage string

// The stages, in pipeline order. StageTrustData refuses everything while the
// verification data is too old to be trusted (see Options.Fresh).
const (
	StageNone      Stage = ""
	StageTrustData Stage = "trustdata"
	StagePrefix    Stage = "prefix"
	StageBase45    Stage = "base45"
	StageZlib      Stage = "zlib"
	StageCOSE      Stage = "cose"
	StageKID       Stage = "kid"
	StageSignature Stage = "signature"
	StageCBOR      Stage = "cbor"
	StageExpiry    Stage = "expiry"
	StageSchema    Stage = "schema"
	StageKeyUsage  Stage = "keyusage"
	StageRevoked   Stage = "revoked"
	StageRules     Stage = "rules"
)

// Error is a refusal at one stage. Its message names what was wrong and
// where, and never contains personal data: no name, date of birth, UVCI or
// any other value read from the certificate.
type Error struct {
	Stage  Stage
	Status Status
	Reason Reason // short, translatable phrase for the delegate's screen
	Detail string // technical detail for operators and the command line
	Err    error  // the underlying cause, if any (for errors.Is)
}

func (e *Error) Error() string {
	// For engineers, in English: the reason's code reads as words.
	msg := string(e.Stage) + ": " + strings.ReplaceAll(string(e.Reason), "_", " ")
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSignature) and friends work on any *Error of
// that stage.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == "" && t.Detail == "" && t.Err == nil && t.Stage == e.Stage
}

// Stage sentinels, for errors.Is: errors.Is(v.Err, verify.ErrSignature).
var (
	ErrTrustData = &Error{Stage: StageTrustData}
	ErrPrefix    = &Error{Stage: StagePrefix}
	ErrBase45    = &Error{Stage: StageBase45}
	ErrZlib      = &Error{Stage: StageZlib}
	ErrCOSE      = &Error{Stage: StageCOSE}
	ErrKID       = &Error{Stage: StageKID}
	ErrSignature = &Error{Stage: StageSignature}
	ErrCBOR      = &Error{Stage: StageCBOR}
	ErrExpiry    = &Error{Stage: StageExpiry}
	ErrSchema    = &Error{Stage: StageSchema}
	ErrKeyUsage  = &Error{Stage: StageKeyUsage}
	ErrRevoked   = &Error{Stage: StageRevoked}
	ErrRules     = &Error{Stage: StageRules}
)

// fail builds a refusal. detail is formatted with args; callers never pass
// values read from the certificate into it.
func fail(stage Stage, status Status, reason Reason, cause error, detail string, args ...any) *Error {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	return &Error{Stage: stage, Status: status, Reason: reason, Detail: detail, Err: cause}
}

// Verdict is the outcome of one check.
type Verdict struct {
	Status Status
	// Admit is true only for StatusValid: the light turns green.
	Admit bool
	// Stage is the step that refused the certificate; empty when none did
	// (a VALID verdict, or a refusal by the scan-mode rules has StageRules).
	Stage Stage
	// Reason is a short phrase for the delegate, never health detail.
	Reason Reason
	// Err carries the stage and a technical detail when the certificate was
	// refused; nil for VALID.
	Err *Error
	// Person is the holder's name and date of birth, for the identity
	// comparison on the screen. It is nil when the certificate could not be
	// read as far as its content. The caller wipes it when the display time
	// ends.
	Person *privacy.Person
	// Kind is the certificate's type. The kiosk uses it for nothing shown to
	// the delegate; it is here for the conformance and rule tests.
	Kind Kind
}

// Detail is the technical detail of a refusal, or "" for VALID.
func (v Verdict) Detail() string {
	if v.Err == nil {
		return ""
	}
	return v.Err.Detail
}

// verdictFromError turns a refusal into a verdict, keeping the person if the
// content was read.
func verdictFromError(err *Error, person *privacy.Person, kind Kind) Verdict {
	return Verdict{Status: err.Status, Stage: err.Stage, Reason: err.Reason, Err: err, Person: person, Kind: kind}
}

// asError converts any error into an *Error of the given stage.
func asError(err error, stage Stage, status Status, reason Reason) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return fail(stage, status, reason, err, "%v", err)
}
