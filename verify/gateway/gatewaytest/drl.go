package gatewaytest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/revocation"
)

// delta is the way from one version to another: insertions, then
// deletions, cut into chunks in that order (as the real gateway does).
type delta struct{ ins, del []revocation.Hash }

// plan is what the gateway serves for a client at version from.
type plan struct {
	cur      List
	from     uint64 // 0: snapshot
	d        delta
	chunks   int
	upToDate bool
}

// hashLen is the size of one hash in a chunk's JSON, for the size fields.
const hashLen = 47

func (g *Gateway) plan(from uint64) plan {
	if len(g.data.Lists) == 0 {
		return plan{upToDate: true}
	}
	cur := g.data.Lists[len(g.data.Lists)-1]
	p := plan{cur: cur}
	if from == cur.Version {
		p.upToDate = true
		return p
	}
	ops := len(cur.Hashes)
	if old, ok := g.list(from); ok && !g.data.NoDeltas {
		p.from, p.d = from, g.delta(old, cur)
		ops = len(p.d.ins) + len(p.d.del)
	}
	p.chunks = max(1, (ops+g.data.ChunkSize-1)/g.data.ChunkSize)
	return p
}

func (g *Gateway) list(version uint64) (List, bool) {
	for _, l := range g.data.Lists[:len(g.data.Lists)-1] {
		if l.Version == version && version != 0 {
			return l, true
		}
	}
	return List{}, false
}

func (g *Gateway) set(l List) *revocation.Set {
	s, ok := g.sets[l.Version]
	if !ok {
		s = revocation.NewSet(append([]revocation.Hash(nil), l.Hashes...))
		g.sets[l.Version] = s
	}
	return s
}

func (g *Gateway) delta(old, cur List) delta {
	key := [2]uint64{old.Version, cur.Version}
	if d, ok := g.deltas[key]; ok {
		return d
	}
	o, c := g.set(old), g.set(cur)
	var d delta
	for _, h := range c.Hashes() {
		if !o.RevokedHash(&h) {
			d.ins = append(d.ins, h)
		}
	}
	for _, h := range o.Hashes() {
		if !c.RevokedHash(&h) {
			d.del = append(d.del, h)
		}
	}
	g.deltas[key] = d
	return d
}

func (g *Gateway) check(r *http.Request) Response {
	from, err := uintParam(r.URL.Query(), "version")
	if err != nil {
		return badRequest(err)
	}
	p := g.plan(from)
	version, total := int64(p.cur.Version), int64(len(p.cur.Hashes))
	a := gateway.CheckAnswer{
		ID: fmt.Sprintf("fake-%d-%d", p.from, p.cur.Version), Version: &version,
		Chunk: 1, TotalChunk: int64(p.chunks), TotalNumberUCVI: &total,
		SizeSingleChunkInByte: int64(g.data.ChunkSize * hashLen),
	}
	switch {
	case p.upToDate:
		a.FromVersion, a.Chunk = int64(from), 0
	case p.from != 0:
		a.FromVersion, a.NumDiAdd, a.NumDiDelete = int64(p.from), int64(len(p.d.ins)), int64(len(p.d.del))
	default:
		a.NumDiAdd = total
	}
	a.TotalSizeInByte = (a.NumDiAdd + a.NumDiDelete) * hashLen
	if g.data.EditCheck != nil {
		g.data.EditCheck(&a)
	}
	return jsonResponse(a)
}

func (g *Gateway) chunk(r *http.Request) Response {
	q := r.URL.Query()
	from, err := uintParam(q, "version")
	if err != nil {
		return badRequest(err)
	}
	k, err := uintParam(q, "chunk")
	if err != nil {
		return badRequest(err)
	}
	key := [2]uint64{from, k}
	if resp, ok := g.chunks[key]; ok {
		return resp
	}
	p := g.plan(from)
	if p.upToDate || k < 1 || int(k) > p.chunks {
		return badRequest(fmt.Errorf("no chunk %d from version %d", k, from))
	}
	a := gateway.ChunkAnswer{
		ID: fmt.Sprintf("fake-%d-%d", p.from, p.cur.Version), Version: int64(p.cur.Version), Chunk: int64(k), LastChunk: int64(p.chunks),
		CreationDate: "2022-02-14T03:00:00.000+00:00", SizeSingleChunkInByte: int64(g.data.ChunkSize * hashLen),
		TotalNumberUCVI: int64(len(p.cur.Hashes)),
	}
	lo, hi := (int(k)-1)*g.data.ChunkSize, int(k)*g.data.ChunkSize
	if p.from == 0 {
		a.RevokedUcvi = wire(window(p.cur.Hashes, lo, hi))
		if n := len(a.RevokedUcvi); n > 0 {
			a.FirstElementInChunk = revocation.EncodeHash(revocation.Hash(a.RevokedUcvi[0]))
			a.LastElementInChunk = revocation.EncodeHash(revocation.Hash(a.RevokedUcvi[n-1]))
		}
	} else {
		a.FromVersion = int64(p.from)
		n := len(p.d.ins)
		a.Delta = &gateway.DeltaAnswer{
			Insertions: wire(window(p.d.ins, lo, hi)),
			Deletions:  wire(window(p.d.del, lo-n, hi-n)),
		}
	}
	if g.data.EditChunk != nil {
		g.data.EditChunk(&a)
	}
	g.chunks[key] = jsonResponse(a)
	return g.chunks[key]
}

// window is h[lo:hi] clipped to h.
func window(h []revocation.Hash, lo, hi int) []revocation.Hash {
	lo, hi = max(0, min(lo, len(h))), max(0, min(hi, len(h)))
	return h[lo:hi]
}

// wire is the hashes as a chunk carries them; never nil, so that an empty
// snapshot chunk still says "revokedUcvi": [].
func wire(h []revocation.Hash) []gateway.Hash {
	out := make([]gateway.Hash, len(h))
	for i := range h {
		out[i] = gateway.Hash(h[i])
	}
	return out
}

func uintParam(q url.Values, name string) (uint64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a version", name, v)
	}
	return n, nil
}

func badRequest(err error) Response {
	return Response{Status: http.StatusBadRequest, Body: []byte(err.Error())}
}
