package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/verify/calendar"
)

// Kiosk is one of the school's kiosks, as the office knows it.
type Kiosk struct {
	ID             int64
	Name, Entrance string
	Paired         time.Time
	Unpaired       time.Time // zero while paired
	LastSeen       time.Time // zero before its first request
	Version        string
	Holds          uint64 // the sequence number of the bundle it holds
}

// KioskCount is one kiosk's count of a class on a day.
type KioskCount struct {
	Kiosk, Entrance string
	Class           string
	Admitted        int
	Refused         int
}

// Bundle is a signed school bundle as kept.
type Bundle struct {
	Seq    uint64
	Signed time.Time
	Digest []byte
	Raw    []byte // nil for every bundle but the newest
}

// Errors of the kiosks' pairing, which kiosk/office maps to kiosk/link's.
var (
	ErrBadCode   = errors.New("the pairing code is unknown, used or expired")
	ErrNameTaken = errors.New("another paired kiosk has this name")
	ErrUnpaired  = errors.New("the kiosk is not paired")
)

// AddPairingCode keeps the hash of a pairing QR's one-time secret until
// expires, and forgets the codes expired at now (the office's clock).
func (t *Tx) AddPairingCode(ctx context.Context, secretHash []byte, expires, now time.Time) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM pairing_codes WHERE expires < ?`, now.UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO pairing_codes (secret_hash, expires) VALUES (?, ?)`,
		secretHash, expires.UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return t.audit(ctx, "kiosk.pairing_code", "pairing code valid until %s", expires.UTC().Format(time.RFC3339))
}

// PairKiosk uses a pairing code live at now (once) to register a kiosk
// known by keyID. A key already paired is paired again under the new name (a kiosk
// that lost its pairing file keeps its key only if it kept the file, so
// this is the same box re-shown a code).
func (t *Tx) PairKiosk(ctx context.Context, secretHash []byte, keyID, name, entrance string, now time.Time) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `DELETE FROM pairing_codes WHERE secret_hash = ? AND expires >= ?`, secretHash, now.UTC().Format(time.RFC3339))
	if err := affected(res, err, "pairing code"); err != nil {
		return 0, ErrBadCode
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE kiosks SET unpaired = ?, key_id = key_id || ':' || id WHERE key_id = ?`, t.stamp(), keyID); err != nil {
		return 0, err
	}
	res, err = t.tx.ExecContext(ctx, `INSERT INTO kiosks (name, entrance, key_id, paired) VALUES (?, ?, ?, ?)`, name, entrance, keyID, t.stamp())
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return 0, ErrNameTaken
		}
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, t.audit(ctx, "kiosk.pair", "kiosk %q (%s) paired", name, entrance)
}

// UnpairKiosk ends a kiosk's pairing: its key opens nothing from now on;
// its counts stay.
func (t *Tx) UnpairKiosk(ctx context.Context, id int64) error {
	k, err := t.kiosk(ctx, `id = ?`, id)
	if err != nil {
		return err
	}
	if !k.Unpaired.IsZero() {
		return fmt.Errorf("kiosk %d: already unpaired: %w", id, ErrNotFound)
	}
	// The key is kept, suffixed, so that the same key pairing again is a
	// new row and the old one stays unique.
	if _, err := t.tx.ExecContext(ctx, `UPDATE kiosks SET unpaired = ?, key_id = key_id || ':' || id WHERE id = ?`, t.stamp(), id); err != nil {
		return err
	}
	return t.audit(ctx, "kiosk.unpair", "kiosk %q (%s) unpaired", k.Name, k.Entrance)
}

// Kiosks lists the kiosks, paired first, by name.
func (r reader) Kiosks(ctx context.Context) ([]Kiosk, error) {
	return r.kiosks(ctx, `1 = 1 ORDER BY unpaired != '', name, id`)
}

// PairedKiosk returns the paired kiosk known by keyID, ErrUnpaired when
// none is.
func (r reader) PairedKiosk(ctx context.Context, keyID string) (Kiosk, error) {
	k, err := r.kiosk(ctx, `key_id = ? AND unpaired = ''`, keyID)
	if errors.Is(err, ErrNotFound) {
		return k, ErrUnpaired
	}
	return k, err
}

func (r reader) kiosk(ctx context.Context, where string, args ...any) (Kiosk, error) {
	ks, err := r.kiosks(ctx, where, args...)
	if err != nil {
		return Kiosk{}, err
	}
	if len(ks) == 0 {
		return Kiosk{}, fmt.Errorf("kiosk: %w", ErrNotFound)
	}
	return ks[0], nil
}

func (r reader) kiosks(ctx context.Context, where string, args ...any) ([]Kiosk, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, name, entrance, paired, unpaired, last_seen, version, holds FROM kiosks WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Kiosk
	for rows.Next() {
		var k Kiosk
		var paired, unpaired, seen string
		var holds int64
		if err := rows.Scan(&k.ID, &k.Name, &k.Entrance, &paired, &unpaired, &seen, &k.Version, &holds); err != nil {
			return nil, err
		}
		k.Paired, _ = time.Parse(time.RFC3339, paired)
		k.Unpaired, _ = time.Parse(time.RFC3339, unpaired)
		k.LastSeen, _ = time.Parse(time.RFC3339, seen)
		k.Holds = uint64(holds)
		out = append(out, k)
	}
	return out, rows.Err()
}

// SeeKiosk notes a paired kiosk's request: when, its version, the bundle
// it holds. It is not a change by anyone, so it has no audit line.
func (s *Store) SeeKiosk(ctx context.Context, id int64, at time.Time, version string, holds uint64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE kiosks SET last_seen = ?, version = ?, holds = ? WHERE id = ?`,
		at.UTC().Format(time.RFC3339), version, int64(holds), id)
	return err
}

// DayCounts are a kiosk's counts of one day, per class.
type DayCounts struct {
	Day     calendar.Day
	Classes []KioskCount // Kiosk and Entrance unused
}

// PutKioskCounts replaces, in one transaction, what a kiosk sent before
// for the same days and classes: a count sent twice is counted once.
func (s *Store) PutKioskCounts(ctx context.Context, kiosk int64, days []DayCounts) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range days {
		for _, c := range d.Classes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO kiosk_counts (kiosk_id, day, class, admitted, refused) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (day, kiosk_id, class) DO UPDATE SET admitted = excluded.admitted, refused = excluded.refused`,
				kiosk, d.Day.String(), c.Class, c.Admitted, c.Refused); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// KioskCounts returns a day's counts, per kiosk and class.
func (r reader) KioskCounts(ctx context.Context, day calendar.Day) ([]KioskCount, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT k.name, k.entrance, c.class, c.admitted, c.refused
		FROM kiosk_counts c JOIN kiosks k ON k.id = c.kiosk_id WHERE c.day = ? ORDER BY c.class, k.entrance, k.name`, day.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KioskCount
	for rows.Next() {
		var c KioskCount
		if err := rows.Scan(&c.Kiosk, &c.Entrance, &c.Class, &c.Admitted, &c.Refused); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddBundle keeps a newly signed bundle as the newest, dropping the bytes
// of the one before.
func (s *Store) AddBundle(ctx context.Context, b Bundle) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE bundles SET raw = NULL WHERE raw IS NOT NULL`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO bundles (seq, signed, digest, raw) VALUES (?, ?, ?, ?)`,
		int64(b.Seq), b.Signed.UTC().Format(time.RFC3339Nano), b.Digest, b.Raw); err != nil {
		return err
	}
	return tx.Commit()
}

// LatestBundle returns the newest bundle, with its bytes; ErrNotFound
// before the first.
func (r reader) LatestBundle(ctx context.Context) (Bundle, error) {
	var b Bundle
	var seq int64
	var signed string
	err := r.q.QueryRowContext(ctx, `SELECT seq, signed, digest, raw FROM bundles ORDER BY seq DESC LIMIT 1`).Scan(&seq, &signed, &b.Digest, &b.Raw)
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("bundle: %w", ErrNotFound)
	}
	b.Seq = uint64(seq)
	b.Signed, _ = time.Parse(time.RFC3339Nano, signed)
	return b, err
}

// BundleSigned returns when each of the given bundles was signed (the
// ones the kiosks hold), for their data's age.
func (r reader) BundleSigned(ctx context.Context, seqs []uint64) (map[uint64]time.Time, error) {
	out := map[uint64]time.Time{}
	if len(seqs) == 0 {
		return out, nil
	}
	list := make([]string, len(seqs))
	for i, s := range seqs {
		list[i] = strconv.FormatUint(s, 10)
	}
	rows, err := r.q.QueryContext(ctx, `SELECT seq, signed FROM bundles WHERE seq IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var signed string
		if err := rows.Scan(&seq, &signed); err != nil {
			return nil, err
		}
		out[uint64(seq)], _ = time.Parse(time.RFC3339Nano, signed)
	}
	return out, rows.Err()
}
