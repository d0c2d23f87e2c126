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

// refusal is a refusal at one stage, as the pipeline passes it on; a
// Verdict carries what it says, so it never leaves the package. Its message
// names what was wrong and where, and never contains personal data: no
// name, date of birth, UVCI or any other value read from the certificate.
type refusal struct {
	Stage  Stage
	Status Status
	Reason Reason // short, translatable phrase for the delegate's screen
	Detail string // technical detail for operators and the command line
	Err    error  // the underlying cause, if any (for errors.Is in tests)
}

func (e *refusal) Error() string {
	// For engineers, in English: the reason's code reads as words.
	msg := string(e.Stage) + ": " + strings.ReplaceAll(string(e.Reason), "_", " ")
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *refusal) Unwrap() error { return e.Err }

// fail builds a refusal. detail is formatted with args; callers never pass
// values read from the certificate into it.
func fail(stage Stage, status Status, reason Reason, cause error, detail string, args ...any) *refusal {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	return &refusal{Stage: stage, Status: status, Reason: reason, Detail: detail, Err: cause}
}

// Verdict is the outcome of one check. It holds a refusal's stage, status,
// reason and detail itself, once, rather than beside the refusal they came
// from.
type Verdict struct {
	Status Status
	// Admit is true only for StatusValid: the light turns green.
	Admit bool
	// Stage is the step that refused the certificate; empty when none did
	// (a VALID verdict, or a refusal by the scan-mode rules has StageRules).
	Stage Stage
	// Reason is a short phrase for the delegate, never health detail.
	Reason Reason
	// Detail is the technical detail of a refusal, for operators and the
	// command line; "" for VALID. Like the reason, it never contains a value
	// read from the certificate.
	Detail string
	// Person is the holder's name and date of birth, for the identity
	// comparison on the screen. It is nil when the certificate could not be
	// read as far as its content. The caller wipes it when the display time
	// ends.
	Person *privacy.Person
	// Kind is the certificate's type. The kiosk uses it for nothing shown to
	// the delegate; it is here for the conformance and rule tests.
	Kind Kind
}

// verdictFromError turns a refusal into a verdict, keeping the person if the
// content was read.
func verdictFromError(err *refusal, person *privacy.Person, kind Kind) Verdict {
	return Verdict{Status: err.Status, Stage: err.Stage, Reason: err.Reason, Detail: err.Detail, Person: person, Kind: kind}
}

// asError converts any error into a refusal of the given stage.
func asError(err error, stage Stage, status Status, reason Reason) *refusal {
	var e *refusal
	if errors.As(err, &e) {
		return e
	}
	return fail(stage, status, reason, err, "%v", err)
}
