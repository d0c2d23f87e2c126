package trustdata

import (
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
)

// Each fault of the gateway ends the sync of its set with a message that
// names the endpoint (and the chunk) and why, leaves that set as it was,
// and is forgotten by the next sync once the gateway behaves.
func TestFaultsLeaveThePreviousSet(t *testing.T) {
	const shortTimeout = 200 * time.Millisecond
	for _, c := range []struct {
		name  string
		set   string // the set that must stay as it was
		fault gatewaytest.Fault
		edit  func(*gatewaytest.Data)
		cfg   gateway.Config // the client's timeout and limits
		want  []string
	}{
		{name: "settings server error", set: "settings",
			fault: gatewaytest.On("settings", gatewaytest.Status(500)),
			want:  []string{"settings: GET http://", "/v1/dgc/settings: status 500 Internal Server Error"}},
		{name: "settings not numbers", set: "settings",
			edit: func(d *gatewaytest.Data) {
				d.Settings = []byte(strings.Replace(string(d.Settings), `"value":"120"`, `"value":"120 days"`, 1))
			},
			want: []string{"settings: GET http://", `value "120 days" is not a whole number`}},
		{name: "settings invalid JSON", set: "settings",
			fault: gatewaytest.On("settings", gatewaytest.Body(`[{"name":`)),
			want:  []string{"settings: GET http://", "not a JSON array of {name,type,value}"}},
		{name: "settings too large", set: "settings",
			fault: gatewaytest.On("settings", gatewaytest.Oversize(5<<20, true)),
			want:  []string{"settings: GET http://", "answer of 5242880 bytes is over the 4194304-byte bound"}},
		{name: "signer loop server error", set: "signers",
			fault: gatewaytest.On("signercertificate/update", gatewaytest.Status(503)),
			want:  []string{"signer keys: signer certificate 1: GET http://", "/signercertificate/update: status 503"}},
		{name: "signer loop timeout", set: "signers", cfg: gateway.Config{Timeout: shortTimeout},
			fault: gatewaytest.On("signercertificate/update", gatewaytest.Hang()),
			want:  []string{"signer keys: signer certificate 1: GET http://", "no complete answer within 200ms"}},
		{name: "status invalid JSON", set: "signers",
			fault: gatewaytest.On("signercertificate/status", gatewaytest.Body("<html>")),
			want:  []string{"signer keys: GET http://", "/signercertificate/status: not a JSON array of kids"}},
		{name: "no certificate parses", set: "signers",
			edit: func(d *gatewaytest.Data) {
				d.Signers = []gatewaytest.Signer{{KID: "AAAAAAAAAAA=", Body: []byte("AAAA")}}
			},
			want: []string{"signer keys: no usable signer certificate (0 received, 1 skipped, 0 not in signercertificate/status): keeping the stored keys"}},
		{name: "check server error", set: "drl",
			fault: gatewaytest.On("drl/check", gatewaytest.Status(502)),
			want:  []string{"revocation list: GET http://", "/drl/check?version=1: status 502"}},
		{name: "check invalid JSON", set: "drl",
			fault: gatewaytest.On("drl/check", gatewaytest.Body("<html>oops</html>")),
			want:  []string{"revocation list: GET http://", "/drl/check?version=1: check answer is not the expected JSON object"}},
		{name: "connection dropped mid-chunk", set: "drl",
			fault: gatewaytest.OnChunk(2, gatewaytest.Drop()),
			want:  []string{"revocation list: chunk 2 of 2 (version 2): GET http://", "/drl?chunk=2&version=1: reading the answer", "unexpected EOF"}},
		{name: "chunk timeout", set: "drl", cfg: gateway.Config{Timeout: shortTimeout},
			fault: gatewaytest.OnChunk(1, gatewaytest.Hang()),
			want:  []string{"revocation list: chunk 1 of 2 (version 2): GET http://", "no complete answer within 200ms"}},
		{name: "chunk too large, announced", set: "drl", cfg: gateway.Config{Limits: gateway.Limits{Chunk: 20000}},
			fault: gatewaytest.OnChunk(1, gatewaytest.Oversize(1<<20, true)),
			want:  []string{"revocation list: chunk 1 of 2 (version 2): GET http://", "answer of 1048576 bytes is over the 20000-byte bound"}},
		{name: "chunk too large, streamed", set: "drl", cfg: gateway.Config{Limits: gateway.Limits{Chunk: 20000}},
			fault: gatewaytest.OnChunk(1, gatewaytest.Oversize(1<<20, false)),
			want:  []string{"revocation list: chunk 1 of 2 (version 2): GET http://", "answer over the 20000-byte bound"}},
		{name: "chunk invalid JSON", set: "drl",
			fault: gatewaytest.OnChunk(1, gatewaytest.Body(`{"version":2,"revokedUcvi":["x`)),
			want:  []string{"revocation list: chunk 1 of 2 (version 2): GET http://", "/drl?chunk=1&version=1: chunk is not the expected JSON object"}},
		{name: "chunks of the wrong version", set: "drl",
			edit: func(d *gatewaytest.Data) { d.EditChunk = func(a *gateway.ChunkAnswer) { a.Version = 7 } },
			want: []string{"revocation list: full snapshot after a delta did not apply (chunk 1 of 2 (version 2): the chunk is for version 7, the check announced 2): chunk 1 of 3 (version 2): the chunk is for version 7, the check announced 2"}},
		{name: "count does not add up", set: "drl",
			edit: func(d *gatewaytest.Data) {
				d.EditCheck = func(a *gateway.CheckAnswer) { *a.TotalNumberUCVI++ }
			},
			want: []string{"revocation list: full snapshot after a delta did not apply (", "the list of version 2 has 300 hashes after the download, the gateway announced 301 (totalNumberUCVI)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.mustSync()
			before := states(w.load())
			w.gw.Update(func(d *gatewaytest.Data) {
				d.Signers = w.certs("es256", "ps256", "vacc-only", "recovery-it")
				d.Settings = []byte(strings.Replace(fixtures.SettingsJSON(w.set), "[", `[{"name":"MAX_RETRY","type":"GENERIC","value":"3"},`, 1))
				d.Lists = append(d.Lists, gatewaytest.List{Version: 2, Hashes: w.hashes(50, 350)})
				d.Fault = c.fault
				if c.edit != nil {
					c.edit(d)
				}
			})
			w.client = w.newClient(c.cfg)
			w.now = t0.Add(time.Hour)
			_, err := w.sync()
			if err == nil {
				t.Fatal("sync succeeded")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n  %v\ndoes not say\n  %s", err, want)
				}
			}
			if n := strings.Count(err.Error(), "\n"); n != 0 {
				t.Errorf("%d sets failed: %v", n+1, err)
			}
			after := states(w.load())
			if after[c.set] != before[c.set] {
				t.Errorf("%s changed: %v, was %v", c.set, after[c.set], before[c.set])
			}
			for set, s := range after {
				if set != c.set && !s.confirmed.Equal(w.now) {
					t.Errorf("%s was not refreshed though its endpoint worked", set)
				}
			}
			// The gateway mends; so does the data.
			w.gw.Update(func(d *gatewaytest.Data) {
				d.Fault, d.EditCheck, d.EditChunk = nil, nil, nil
				if c.edit != nil {
					d.Settings = []byte(fixtures.SettingsJSON(w.set))
					d.Signers = w.certs("es256", "ps256", "vacc-only", "recovery-it")
				}
			})
			w.client = w.newClient(gateway.Config{})
			w.now = t0.Add(2 * time.Hour)
			w.mustSync()
			d := w.load()
			if d.Stale(w.now, DefaultMaxAge) != nil || d.Trust.Len() != 4 || d.RevokedInfo.Version != 2 || d.Revoked.Len() != 300 {
				t.Errorf("after mending: %d signers, list version %d of %d, stale %v", d.Trust.Len(), d.RevokedInfo.Version, d.Revoked.Len(), d.Stale(w.now, DefaultMaxAge))
			}
		})
	}
}

// A delta whose chunks claim another starting version is abandoned for a
// snapshot, and the sync succeeds.
func TestDeltaFromTheWrongVersion(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	w.publish(2, w.hashes(50, 350))
	w.gw.Update(func(d *gatewaytest.Data) {
		d.EditChunk = func(a *gateway.ChunkAnswer) {
			if a.Delta != nil {
				a.FromVersion = 7
			}
		}
	})
	rep := w.mustSync()
	if rep.DRL.FromVersion != 0 || rep.DRL.Count != 300 || !strings.Contains(rep.DRL.FellBack, "a delta from version 7, the plan starts from 1") {
		t.Fatalf("report %+v", rep.DRL)
	}
}
