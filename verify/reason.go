package verify

// Reason says why a verdict is what it is, as a stable code; the delegate's
// screen shows it as a short phrase in its language (kiosk/lang). It is
// never the health detail behind it (which vaccine, how many doses, a test
// result): the delegate may see only admit or deny and the identity.
type Reason string

// The reasons.
const (
	ReasonNone          Reason = ""
	ReasonValid         Reason = "valid"
	ReasonStaleData     Reason = "stale_data"
	ReasonNotEUDCC      Reason = "not_eu_dcc"
	ReasonUnreadable    Reason = "unreadable"
	ReasonUnknownSigner Reason = "unknown_signer"
	ReasonBadSignature  Reason = "bad_signature"
	ReasonSignerExpired Reason = "signer_expired"
	ReasonCertExpired   Reason = "cert_expired"
	ReasonCertNotYet    Reason = "cert_not_yet_valid"
	ReasonKeyUsage      Reason = "key_usage"
	ReasonRevoked       Reason = "revoked"
	ReasonNotYetValid   Reason = "not_yet_valid"
	ReasonExpired       Reason = "expired"
	ReasonNotAccepted   Reason = "not_accepted"
	ReasonTestNeeded    Reason = "test_needed"
)

// Reasons lists every reason a verdict can carry (not ReasonNone), for the
// text tables to prove they have words for each (kiosk/lang).
func Reasons() []Reason {
	return []Reason{ReasonValid, ReasonStaleData, ReasonNotEUDCC, ReasonUnreadable,
		ReasonUnknownSigner, ReasonBadSignature, ReasonSignerExpired, ReasonCertExpired,
		ReasonCertNotYet, ReasonKeyUsage, ReasonRevoked, ReasonNotYetValid, ReasonExpired,
		ReasonNotAccepted, ReasonTestNeeded}
}
