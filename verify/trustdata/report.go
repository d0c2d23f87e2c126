package trustdata

import (
	"fmt"
	"strings"

	"github.com/scuola/kiosk/verify/gateway"
)

// Report is what a sync did, set by set; a set whose step failed is nil.
type Report struct {
	Settings *SettingsReport
	Signers  *SignersReport
	DRL      *DRLReport
}

// SettingsReport is what a sync did to the settings.
type SettingsReport struct {
	Entries int
}

// SignersReport is what a sync did to the signer keys.
type SignersReport struct {
	Count int // certificates kept
	// NotListed certificates parsed but are not in signercertificate/status.
	NotListed int
	// Skipped certificates did not parse or carried another kid.
	Skipped []gateway.Skipped
}

// DRLReport is what a sync did to the revocation list.
type DRLReport struct {
	Version uint64
	Count   int
	// FromVersion is the version a delta started from; 0 for a snapshot.
	FromVersion uint64
	// Unchanged is true when the gateway confirmed the stored version.
	Unchanged bool
	// Chunks is the number of chunks downloaded by this sync; ResumedAt,
	// when not 0, is the chunk where it resumed an earlier download.
	Chunks, ResumedAt int
	// FellBack says why a delta was abandoned for a full snapshot; "" when
	// none was.
	FellBack string
}

// Lines summarises the report for people: one line per set refreshed, one
// per certificate skipped.
func (r Report) Lines() []string {
	var out []string
	if s := r.Settings; s != nil {
		out = append(out, fmt.Sprintf("settings: %d entries", s.Entries))
	}
	if s := r.Signers; s != nil {
		line := fmt.Sprintf("signer keys: %d", s.Count)
		var notes []string
		if s.NotListed > 0 {
			notes = append(notes, fmt.Sprintf("%d dropped as not in the status list", s.NotListed))
		}
		if len(s.Skipped) > 0 {
			notes = append(notes, fmt.Sprintf("%d skipped", len(s.Skipped)))
		}
		if len(notes) > 0 {
			line += " (" + strings.Join(notes, ", ") + ")"
		}
		out = append(out, line)
		for _, sk := range s.Skipped {
			out = append(out, "  skipped "+sk.Error())
		}
	}
	if d := r.DRL; d != nil {
		line := fmt.Sprintf("revocation list: version %d, %d hashes", d.Version, d.Count)
		switch {
		case d.Unchanged:
			line += " (unchanged)"
		case d.FromVersion != 0:
			line += fmt.Sprintf(" (delta from version %d, %d chunks downloaded)", d.FromVersion, d.Chunks)
		default:
			line += fmt.Sprintf(" (full snapshot, %d chunks downloaded)", d.Chunks)
		}
		if d.ResumedAt > 0 {
			line += fmt.Sprintf(", resumed at chunk %d", d.ResumedAt)
		}
		out = append(out, line)
		if d.FellBack != "" {
			out = append(out, "  a delta did not apply ("+d.FellBack+"): downloaded a full snapshot instead")
		}
	}
	return out
}
