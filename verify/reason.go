package verify

// Reason is a short phrase for the delegate's screen. It says why, in one
// breath, and never the health detail behind it (which vaccine, how many
// doses, a test result): the delegate may see only admit or deny and the
// identity.
type Reason string

// Lang selects the language of reason texts. Italian first: the staff at the
// entrance are Italian.
type Lang string

// The supported languages.
const (
	LangIT Lang = "it"
	LangEN Lang = "en"
)

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

var reasonTexts = map[Reason][2]string{
	ReasonValid:         {"certificato valido", "valid certificate"},
	ReasonStaleData:     {"dati di verifica non aggiornati", "verification data out of date"},
	ReasonNotEUDCC:      {"non è una certificazione verde EU", "not an EU digital COVID certificate"},
	ReasonUnreadable:    {"certificato illeggibile o danneggiato", "certificate unreadable or damaged"},
	ReasonUnknownSigner: {"firmatario non riconosciuto", "unknown signer"},
	ReasonBadSignature:  {"firma non valida", "invalid signature"},
	ReasonSignerExpired: {"chiave del firmatario non valida alla data", "signer key not valid at this date"},
	ReasonCertExpired:   {"certificato scaduto", "certificate expired"},
	ReasonCertNotYet:    {"certificato non ancora emesso", "certificate not yet issued"},
	ReasonKeyUsage:      {"firmatario non autorizzato per questo tipo", "signer not authorised for this type"},
	ReasonRevoked:       {"certificato revocato", "certificate revoked"},
	ReasonNotYetValid:   {"non ancora valido", "not yet valid"},
	ReasonExpired:       {"validità scaduta", "validity ended"},
	ReasonNotAccepted:   {"non valido per questa verifica", "not valid for this check"},
	ReasonTestNeeded:    {"serve anche un test", "a test is also needed"},
}

// Text is the phrase in the given language; Italian for an unknown one.
func (r Reason) Text(lang Lang) string {
	t, ok := reasonTexts[r]
	if !ok {
		return string(r)
	}
	if lang == LangEN {
		return t[1]
	}
	return t[0]
}
