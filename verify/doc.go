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
