package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/scuola/kiosk/verify/revocation"
)

// MaxChunks bounds the chunks of one download: the real list of a million
// hashes came in 100.
const MaxChunks = 100000

// Check is the gateway's plan for bringing a revocation list up to date
// (GET drl/check?version=N).
type Check struct {
	ID string
	// FromVersion is the version a delta starts from; 0 means the plan is
	// a full snapshot.
	FromVersion uint64
	// Version is the gateway's current version of the list.
	Version uint64
	// TotalChunk is the number of chunks to download; 0 when not given.
	TotalChunk int
	// TotalNumberUCVI is the number of hashes in the list at Version: the
	// count a finished download must reach.
	TotalNumberUCVI int
}

// Snapshot reports whether the plan is a full snapshot rather than a delta.
func (c Check) Snapshot() bool { return c.FromVersion == 0 }

// Chunk is one part of a snapshot or a delta (GET drl?version=N&chunk=K).
type Chunk struct {
	Version     uint64 // the version the chunk brings the list to; 0 when not given
	FromVersion uint64 // for a delta, the version it starts from; 0 when not given
	Chunk       int    // the chunk's number; 0 when not given
	LastChunk   int    // the number of chunks; 0 when not given
	// Snapshot is true for a snapshot chunk (revokedUcvi), false for a
	// delta (delta.insertions and delta.deletions).
	Snapshot bool
	// Hashes are the snapshot's entries or the delta's insertions.
	Hashes []revocation.Hash
	// Deletions are the delta's deletions.
	Deletions []revocation.Hash
}

// DRLCheck asks how to bring the list from version (0: none) to the
// current one.
func (c *Client) DRLCheck(ctx context.Context, version uint64) (Check, error) {
	q := url.Values{"version": {strconv.FormatUint(version, 10)}}
	a, err := c.get(ctx, "drl/check", q, nil, c.limits.Check)
	if err != nil {
		return Check{}, err
	}
	chk, err := ParseCheck(a.body)
	if err != nil {
		return Check{}, a.errorf(err)
	}
	return chk, nil
}

// DRLChunk downloads chunk number chunk (from 1) of the plan that starts
// from version (0: a snapshot).
func (c *Client) DRLChunk(ctx context.Context, version uint64, chunk int) (Chunk, error) {
	q := url.Values{"version": {strconv.FormatUint(version, 10)}, "chunk": {strconv.Itoa(chunk)}}
	a, err := c.get(ctx, "drl", q, nil, c.limits.Chunk)
	if err != nil {
		return Chunk{}, err
	}
	ch, err := ParseChunk(a.body)
	if err != nil {
		return Chunk{}, a.errorf(err)
	}
	return ch, nil
}

// CheckAnswer is the drl/check answer, field for field as the gateway
// writes it: ParseCheck reads it, and the test gateway (gatewaytest)
// writes it. The kiosk uses id, fromVersion, version, totalChunk and
// totalNumberUCVI; the other fields are informative. Version and
// TotalNumberUCVI are pointers so that a field left out is told from 0.
type CheckAnswer struct {
	ID                    string `json:"id"`
	FromVersion           int64  `json:"fromVersion,omitzero"`
	Version               *int64 `json:"version"`
	Chunk                 int64  `json:"chunk"`
	TotalChunk            int64  `json:"totalChunk"`
	NumDiAdd              int64  `json:"numDiAdd"`
	NumDiDelete           int64  `json:"numDiDelete"`
	TotalSizeInByte       int64  `json:"totalSizeInByte"`
	SizeSingleChunkInByte int64  `json:"sizeSingleChunkInByte"`
	TotalNumberUCVI       *int64 `json:"totalNumberUCVI"`
}

// ParseCheck reads a check answer. version and totalNumberUCVI are
// required (the download is judged by them); fromVersion absent or 0 means
// a snapshot.
func ParseCheck(body []byte) (Check, error) {
	var j CheckAnswer
	if err := json.Unmarshal(body, &j); err != nil {
		return Check{}, fmt.Errorf("check answer is not the expected JSON object: %w", err)
	}
	var c Check
	var err error
	c.ID = j.ID
	if j.Version == nil {
		return Check{}, errors.New("check answer has no version")
	}
	if c.Version, err = nonNegative("version", *j.Version); err != nil {
		return Check{}, err
	}
	if c.FromVersion, err = nonNegative("fromVersion", j.FromVersion); err != nil {
		return Check{}, err
	}
	if c.TotalChunk, err = bounded("totalChunk", j.TotalChunk, MaxChunks); err != nil {
		return Check{}, err
	}
	if j.TotalNumberUCVI == nil {
		return Check{}, errors.New("check answer has no totalNumberUCVI: a download could not be checked")
	}
	if c.TotalNumberUCVI, err = bounded("totalNumberUCVI", *j.TotalNumberUCVI, revocation.MaxLen); err != nil {
		return Check{}, err
	}
	return c, nil
}

// ChunkAnswer is a drl chunk as the gateway writes it: RevokedUcvi for a
// snapshot, Delta for a delta. The hashes decode straight into 32-byte
// arrays: a million of them cost no allocation each. CreationDate and the
// first and last elements are informative only.
type ChunkAnswer struct {
	ID                    string       `json:"id,omitzero"`
	FromVersion           int64        `json:"fromVersion,omitzero"`
	Version               int64        `json:"version"`
	Chunk                 int64        `json:"chunk"`
	LastChunk             int64        `json:"lastChunk"`
	RevokedUcvi           []Hash       `json:"revokedUcvi,omitzero"`
	Delta                 *DeltaAnswer `json:"delta,omitzero"`
	CreationDate          string       `json:"creationDate,omitzero"`
	FirstElementInChunk   string       `json:"firstElementInChunk,omitzero"`
	LastElementInChunk    string       `json:"lastElementInChunk,omitzero"`
	SizeSingleChunkInByte int64        `json:"sizeSingleChunkInByte,omitzero"`
	TotalNumberUCVI       int64        `json:"totalNumberUCVI,omitzero"`
}

// DeltaAnswer is the delta part of a chunk.
type DeltaAnswer struct {
	Insertions []Hash `json:"insertions"`
	Deletions  []Hash `json:"deletions"`
}

// Hash is a hash as the gateway writes it, base64 in a JSON string.
type Hash revocation.Hash

// UnmarshalText reads the base64 of a SHA-256.
func (h *Hash) UnmarshalText(text []byte) error {
	return revocation.DecodeHash((*revocation.Hash)(h), text)
}

// MarshalText writes the hash as the gateway does.
func (h Hash) MarshalText() ([]byte, error) {
	return []byte(revocation.EncodeHash(revocation.Hash(h))), nil
}

// ParseChunk reads a chunk: a snapshot when it carries revokedUcvi, a delta
// when it carries delta. Its other fields are optional (the API's
// description leaves them out); when present they are checked against the
// download's plan.
func ParseChunk(body []byte) (Chunk, error) {
	var j ChunkAnswer
	if err := json.Unmarshal(body, &j); err != nil {
		return Chunk{}, fmt.Errorf("chunk is not the expected JSON object: %w", err)
	}
	var c Chunk
	var err error
	if c.Version, err = nonNegative("version", j.Version); err != nil {
		return Chunk{}, err
	}
	if c.FromVersion, err = nonNegative("fromVersion", j.FromVersion); err != nil {
		return Chunk{}, err
	}
	if c.Chunk, err = bounded("chunk", j.Chunk, MaxChunks); err != nil {
		return Chunk{}, err
	}
	if c.LastChunk, err = bounded("lastChunk", j.LastChunk, MaxChunks); err != nil {
		return Chunk{}, err
	}
	switch {
	case j.Delta != nil && len(j.RevokedUcvi) > 0:
		return Chunk{}, errors.New("chunk carries both revokedUcvi and delta")
	case j.Delta != nil:
		c.Hashes, c.Deletions = hashes(j.Delta.Insertions), hashes(j.Delta.Deletions)
	case j.RevokedUcvi != nil:
		c.Snapshot, c.Hashes = true, hashes(j.RevokedUcvi)
	default:
		return Chunk{}, errors.New("chunk carries neither revokedUcvi nor delta")
	}
	return c, nil
}

func hashes(w []Hash) []revocation.Hash {
	out := make([]revocation.Hash, len(w))
	for i := range w {
		out[i] = revocation.Hash(w[i])
	}
	return out
}

func nonNegative(name string, v int64) (uint64, error) {
	if v < 0 {
		return 0, fmt.Errorf("%s %d is negative", name, v)
	}
	return uint64(v), nil
}

func bounded(name string, v int64, max int) (int, error) {
	if v < 0 || v > int64(max) {
		return 0, fmt.Errorf("%s %d is outside 0…%d", name, v, max)
	}
	return int(v), nil
}
