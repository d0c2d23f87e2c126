// Package trustdata keeps the kiosk's verification data (signer keys,
// settings, revocation list) on disk, refreshed from the gateway and
// replaced atomically, so that the kiosk verifies offline on the last
// complete set and refuses everyone once that set is too old.
//
// # On disk
//
// Under the data folder:
//
//	manifest.json          the commit point: which file holds each set, and when
//	                       each was last confirmed by the gateway
//	signers-<h>.json       the signer certificates, [{"kid","raw_data"}] (public keys)
//	settings-<h>.json      the settings document, as the gateway served it
//	drl-<h>.bin            the revocation list: sorted SHA-256 hashes (revocation's
//	                       binary form, with a checksum)
//	drl-pending/           an unfinished revocation-list download: plan.json and
//	                       one file per chunk received, to resume where it stopped
//	LOCK                   held by the one sync that may write here
//
// <h> is the start of the SHA-256 of the file's content, so a file is never
// rewritten in place: a new set is written under a new name (to a
// temporary file, fsynced, renamed, the folder fsynced), and only then does
// a new manifest, written the same way, point at it. A power cut or a kill
// at any moment leaves either the old manifest, naming the old complete
// files, or the new one, naming new complete files; never a mixture. Files
// no manifest names are removed by the next sync. A reader needs no lock.
//
// Nothing about anybody scanned is ever written here: only public keys,
// rules and the hashes of all revoked certificates.
//
// # Freshness
//
// Each set records when the gateway last confirmed it. Past a maximum age
// (DefaultMaxAge), or while a revocation-list download is unfinished, the
// set is stale and Data.Options makes the verifier refuse every
// certificate with "dati di verifica non aggiornati".
package trustdata
