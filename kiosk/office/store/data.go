package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

// Errors the office tells apart (errors.Is) to say which field is wrong.
var (
	ErrExists   = errors.New("already exists")
	ErrNotFound = errors.New("not found")
	// ErrDayTaken: another rule set comes into force that day.
	ErrDayTaken = errors.New("another rule set comes into force that day")
)

// School is the plesso the office serves, with what its documents print.
type School struct {
	Code        string // codice meccanografico
	Name        string // the plesso, e.g. Scuola primaria «Gianni Rodari»
	Institution string // the institution it belongs to, e.g. Istituto Comprensivo «Alessandro Manzoni»
	Address     string
	City        string // where documents are signed
	Email       string // the school's address for privacy requests
	HeadTeacher string // as the head teacher signs
	DPOName     string // the data protection officer
	DPOEmail    string
	// InformativaURL is the privacy notice's page on the school's website
	// (optional): printed with its QR on the notice.
	InformativaURL string
	// Updated is the day these details last changed: the notice's
	// publication day.
	Updated calendar.Day
	// KeyPEM and CertPEM are the badge signer: the key never leaves this
	// machine, the certificate goes to every kiosk.
	KeyPEM, CertPEM string
}

// Role is what an account may do.
type Role string

// The roles: the head teacher does everything; the secretary keeps the
// classes, cases, measures and reports, not the delegations or the keys.
const (
	Dirigente  Role = "dirigente"
	Segreteria Role = "segreteria"
)

// ParseRole checks a role's name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Dirigente, Segreteria:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want dirigente or segreteria)", s)
}

// Account is a member of the office staff.
type Account struct {
	ID       int64
	Name     string
	Role     Role
	Password string // the PHC-encoded argon2id hash
}

// Session is a signed-in browser.
type Session struct {
	Account Account
	CSRF    string
	Expires time.Time
}

// Class is a class with its id in the database.
type Class struct {
	ID int64
	school.Class
	CaseIDs []int64 // beside Cases, in the same order
}

// Delegation is a delegate's delegation (Allegato A). Staff data.
type Delegation struct {
	ID         int64
	Name, Role string
	ValidUntil calendar.Day
	Revoked    bool
	Created    time.Time
}

// BadgeID is the delegation's id on its badge and in the kiosks' list.
func (d Delegation) BadgeID() string { return fmt.Sprintf("D%04d", d.ID) }

// Current reports whether the delegation is in force on a day.
func (d Delegation) Current(day calendar.Day) bool { return !d.Revoked && day <= d.ValidUntil }

// RuleSet is a rule set added by the head teacher.
type RuleSet struct {
	ID int64
	school.RuleSet
}

// AuditEntry is one change: who, when, what.
type AuditEntry struct {
	At                    time.Time
	Actor, Action, Detail string
}

// constraint maps a uniqueness violation to ErrExists.
func constraint(err error, what string) error {
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return fmt.Errorf("%s: %w", what, ErrExists)
	}
	return err
}

// affected turns "no row changed" into ErrNotFound.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// School returns the school.
func (r reader) School(ctx context.Context) (School, error) {
	var s School
	var updated string
	err := r.q.QueryRowContext(ctx, `SELECT code, name, institution, address, city, email, head_teacher,
		dpo_name, dpo_email, informativa_url, updated, key_pem, cert_pem FROM school`).
		Scan(&s.Code, &s.Name, &s.Institution, &s.Address, &s.City, &s.Email, &s.HeadTeacher,
			&s.DPOName, &s.DPOEmail, &s.InformativaURL, &updated, &s.KeyPEM, &s.CertPEM)
	if err == nil && updated != "" {
		s.Updated, err = calendar.Parse(updated)
	}
	return s, err
}

// SetSchool changes the school's details (not its signing key, see
// SetSigner), dated today.
func (t *Tx) SetSchool(ctx context.Context, s School) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE school SET code = ?, name = ?, institution = ?, address = ?,
		city = ?, email = ?, head_teacher = ?, dpo_name = ?, dpo_email = ?, informativa_url = ?, updated = ?`,
		s.Code, s.Name, s.Institution, s.Address, s.City, s.Email, s.HeadTeacher,
		s.DPOName, s.DPOEmail, s.InformativaURL, t.now.Format(time.DateOnly)); err != nil {
		return err
	}
	return t.audit(ctx, "school", "code %s, name %q, institution %q, address %q, city %q, e-mail %q, head teacher %q, DPO %q <%s>, informativa %q",
		s.Code, s.Name, s.Institution, s.Address, s.City, s.Email, s.HeadTeacher, s.DPOName, s.DPOEmail, s.InformativaURL)
}

// SetSigner stores the school's badge key and certificate; it refuses to
// replace a key, since every kiosk and every badge printed trusts it.
func (t *Tx) SetSigner(ctx context.Context, keyPEM, certPEM string) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE school SET key_pem = ?, cert_pem = ? WHERE key_pem = ''`, keyPEM, certPEM)
	if err := affected(res, err, "school signing key"); err != nil {
		return fmt.Errorf("the school already has a signing key: %w", ErrExists)
	}
	return t.audit(ctx, "school.key", "badge signing key made")
}

// AddAccount adds a staff account.
func (t *Tx) AddAccount(ctx context.Context, name string, role Role, password string) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO accounts (name, role, password, created) VALUES (?, ?, ?, ?)`,
		name, role, password, t.stamp())
	if err := constraint(err, "account "+name); err != nil {
		return err
	}
	return t.audit(ctx, "account.add", "account %s (%s)", name, role)
}

// Account returns an account by name.
func (r reader) Account(ctx context.Context, name string) (Account, error) {
	var a Account
	err := r.q.QueryRowContext(ctx, `SELECT id, name, role, password FROM accounts WHERE name = ?`, name).
		Scan(&a.ID, &a.Name, &a.Role, &a.Password)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("account %s: %w", name, ErrNotFound)
	}
	return a, err
}

// Accounts returns the number of accounts.
func (r reader) Accounts(ctx context.Context) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, err
}

// CreateSession records a session by its token's hash, forgetting those
// expired at now (the office's clock). Sessions are not
// audited: they are not changes to the school.
func (s *Store) CreateSession(ctx context.Context, tokenHash []byte, account int64, csrf string, expires, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires < ?`, now.UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, csrf, expires) VALUES (?, ?, ?, ?)`,
		tokenHash, account, csrf, expires.UTC().Format(time.RFC3339))
	return err
}

// Session returns the unexpired session of a token's hash.
func (s *Store) Session(ctx context.Context, tokenHash []byte, now time.Time) (Session, error) {
	var ses Session
	var exp string
	err := s.db.QueryRowContext(ctx, `SELECT a.id, a.name, a.role, s.csrf, s.expires FROM sessions s
		JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires > ?`,
		tokenHash, now.UTC().Format(time.RFC3339)).Scan(&ses.Account.ID, &ses.Account.Name, &ses.Account.Role, &ses.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return ses, fmt.Errorf("session: %w", ErrNotFound)
	}
	ses.Expires, _ = time.Parse(time.RFC3339, exp)
	return ses, err
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// Classes returns every class in the order it was entered (the order of
// the CSV import, as the kiosk's file order), with its cases (oldest first) and
// the head teacher's verify_until.
func (r reader) Classes(ctx context.Context) ([]Class, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT c.id, c.name, c.level, c.enrolled, v.until FROM classes c
		LEFT JOIN verify_until v ON v.class_id = c.id ORDER BY c.id`)
	if err != nil {
		return nil, err
	}
	var out []Class
	byID := map[int64]int{}
	for rows.Next() {
		var c Class
		var until sql.NullString
		if err := rows.Scan(&c.ID, &c.Name, &c.Level, &c.Enrolled, &until); err != nil {
			rows.Close()
			return nil, err
		}
		if until.Valid {
			d, err := calendar.Parse(until.String)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("class %s: verify_until: %w", c.Name, err)
			}
			c.VerifyUntil = &d
		}
		byID[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = r.q.QueryContext(ctx, `SELECT id, class_id, day FROM cases ORDER BY day, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, class int64
		var day string
		if err := rows.Scan(&id, &class, &day); err != nil {
			return nil, err
		}
		d, err := calendar.Parse(day)
		if err != nil {
			return nil, fmt.Errorf("case %d: %w", id, err)
		}
		c := &out[byID[class]]
		c.Cases = append(c.Cases, d)
		c.CaseIDs = append(c.CaseIDs, id)
	}
	return out, rows.Err()
}

// Class returns one class.
func (r reader) Class(ctx context.Context, id int64) (Class, error) {
	all, err := r.Classes(ctx)
	if err != nil {
		return Class{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return Class{}, fmt.Errorf("class %d: %w", id, ErrNotFound)
}

// SchoolClasses returns the classes as the measures engine takes them.
func (r reader) SchoolClasses(ctx context.Context) ([]school.Class, error) {
	cs, err := r.Classes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]school.Class, len(cs))
	for i, c := range cs {
		out[i] = c.Class
	}
	return out, nil
}

// PutClass adds a class, or changes the level and enrolled count of the
// class of that name (the CSV import at the start of the year).
func (t *Tx) PutClass(ctx context.Context, name string, level school.Level, enrolled int) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO classes (name, level, enrolled) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET level = excluded.level, enrolled = excluded.enrolled`, name, level, enrolled)
	if err != nil {
		return err
	}
	return t.audit(ctx, "class.put", "class %s: %s, %d enrolled", name, level, enrolled)
}

// AddClass adds a class; ErrExists if the name is taken.
func (t *Tx) AddClass(ctx context.Context, name string, level school.Level, enrolled int) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO classes (name, level, enrolled) VALUES (?, ?, ?)`, name, level, enrolled)
	if err := constraint(err, "class "+name); err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, t.audit(ctx, "class.add", "class %s: %s, %d enrolled", name, level, enrolled)
}

// EditClass changes a class.
func (t *Tx) EditClass(ctx context.Context, id int64, name string, level school.Level, enrolled int) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE classes SET name = ?, level = ?, enrolled = ? WHERE id = ?`, name, level, enrolled, id)
	if err := constraint(err, "class "+name); err != nil {
		return err
	}
	if err := affected(res, nil, "class"); err != nil {
		return err
	}
	return t.audit(ctx, "class.edit", "class %s: %s, %d enrolled", name, level, enrolled)
}

// DeleteClass removes a class with its cases and override.
func (t *Tx) DeleteClass(ctx context.Context, id int64) error {
	c, err := t.Class(ctx, id)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM classes WHERE id = ?`, id); err != nil {
		return err
	}
	return t.audit(ctx, "class.delete", "class %s deleted with %d cases", c.Name, len(c.Cases))
}

// AddCase records a positive case in a class on a day.
func (t *Tx) AddCase(ctx context.Context, class int64, day calendar.Day) error {
	c, err := t.Class(ctx, class)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO cases (class_id, day) VALUES (?, ?)`, class, day.String()); err != nil {
		return err
	}
	return t.audit(ctx, "case.add", "class %s: case on %s", c.Name, day)
}

// DeleteCase removes a case entered by mistake.
func (t *Tx) DeleteCase(ctx context.Context, class, id int64) error {
	c, err := t.Class(ctx, class)
	if err != nil {
		return err
	}
	var day string
	err = t.tx.QueryRowContext(ctx, `DELETE FROM cases WHERE id = ? AND class_id = ? RETURNING day`, id, class).Scan(&day)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("case %d: %w", id, ErrNotFound)
	} else if err != nil {
		return err
	}
	return t.audit(ctx, "case.delete", "class %s: case on %s removed", c.Name, day)
}

// SetVerifyUntil sets (until non-nil) or clears the head teacher's end of
// daily verification for a class.
func (t *Tx) SetVerifyUntil(ctx context.Context, class int64, until *calendar.Day) error {
	c, err := t.Class(ctx, class)
	if err != nil {
		return err
	}
	if until == nil {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM verify_until WHERE class_id = ?`, class); err != nil {
			return err
		}
		return t.audit(ctx, "verify_until.clear", "class %s: the rule set's verification again", c.Name)
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO verify_until (class_id, until) VALUES (?, ?)
		ON CONFLICT (class_id) DO UPDATE SET until = excluded.until`, class, until.String())
	if err != nil {
		return err
	}
	return t.audit(ctx, "verify_until.set", "class %s: daily verification until %s", c.Name, until)
}

// RuleSets returns the rule sets added by the head teacher, by date.
func (r reader) RuleSets(ctx context.Context) ([]RuleSet, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, name, from_day, episode_gap, levels FROM rule_sets ORDER BY from_day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RuleSet
	for rows.Next() {
		var rs RuleSet
		var from, levels string
		if err := rows.Scan(&rs.ID, &rs.Name, &from, &rs.EpisodeGapDays, &levels); err != nil {
			return nil, err
		}
		if rs.From, err = calendar.Parse(from); err != nil {
			return nil, fmt.Errorf("rule set %s: %w", rs.Name, err)
		}
		if err := json.Unmarshal([]byte(levels), &rs.Levels); err != nil {
			return nil, fmt.Errorf("rule set %s: levels: %w", rs.Name, err)
		}
		out = append(out, rs)
	}
	return out, rows.Err()
}

// Rules returns the built-in rule sets with the added ones.
func (r reader) Rules(ctx context.Context) (school.Rules, error) {
	added, err := r.RuleSets(ctx)
	if err != nil {
		return nil, err
	}
	sets := school.DefaultRuleSets()
	for _, a := range added {
		sets = append(sets, a.RuleSet)
	}
	return school.NewRules(sets)
}

// AddRuleSet adds a rule set after checking it against the others with
// the measures engine's own check.
func (t *Tx) AddRuleSet(ctx context.Context, rs school.RuleSet) error {
	rules, err := t.Rules(ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r.From == rs.From {
			return fmt.Errorf("rule set %q from %s: %w (%q)", rs.Name, rs.From, ErrDayTaken, r.Name)
		}
	}
	if _, err := school.NewRules(append(rules, rs)); err != nil {
		return err
	}
	levels, err := json.Marshal(rs.Levels)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO rule_sets (name, from_day, episode_gap, levels) VALUES (?, ?, ?, ?)`,
		rs.Name, rs.From.String(), rs.EpisodeGapDays, string(levels))
	if err := constraint(err, "rule set "+rs.Name); err != nil {
		return err
	}
	return t.audit(ctx, "rule_set.add", "rule set %q from %s", rs.Name, rs.From)
}

// Delegations returns every delegation, newest first.
func (r reader) Delegations(ctx context.Context) ([]Delegation, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, name, role, valid_until, revoked, created FROM delegations ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delegation
	for rows.Next() {
		var d Delegation
		var until, created string
		if err := rows.Scan(&d.ID, &d.Name, &d.Role, &until, &d.Revoked, &created); err != nil {
			return nil, err
		}
		if d.ValidUntil, err = calendar.Parse(until); err != nil {
			return nil, fmt.Errorf("delegation %d: %w", d.ID, err)
		}
		d.Created, _ = time.Parse(time.RFC3339, created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Delegation returns one delegation.
func (r reader) Delegation(ctx context.Context, id int64) (Delegation, error) {
	all, err := r.Delegations(ctx)
	if err != nil {
		return Delegation{}, err
	}
	for _, d := range all {
		if d.ID == id {
			return d, nil
		}
	}
	return Delegation{}, fmt.Errorf("delegation %d: %w", id, ErrNotFound)
}

// AddDelegation records a new delegation and returns it.
func (t *Tx) AddDelegation(ctx context.Context, name, role string, until calendar.Day) (Delegation, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO delegations (name, role, valid_until, created) VALUES (?, ?, ?, ?)`,
		name, role, until.String(), t.stamp())
	if err != nil {
		return Delegation{}, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Delegation{}, err
	}
	d := Delegation{ID: id, Name: name, Role: role, ValidUntil: until, Created: t.now}
	return d, t.audit(ctx, "delegation.add", "delegation %s to %s (%s) until %s", d.BadgeID(), name, role, until)
}

// RenewDelegation moves a delegation's end date; a revoked one stays
// revoked (a new delegation is a new decision).
func (t *Tx) RenewDelegation(ctx context.Context, id int64, until calendar.Day) error {
	d, err := t.Delegation(ctx, id)
	if err != nil {
		return err
	}
	if d.Revoked {
		return fmt.Errorf("delegation %s is revoked: make a new one", d.BadgeID())
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE delegations SET valid_until = ? WHERE id = ?`, until.String(), id); err != nil {
		return err
	}
	return t.audit(ctx, "delegation.renew", "delegation %s to %s renewed until %s", d.BadgeID(), d.Name, until)
}

// RevokeDelegation ends a delegation now.
func (t *Tx) RevokeDelegation(ctx context.Context, id int64) error {
	d, err := t.Delegation(ctx, id)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE delegations SET revoked = 1 WHERE id = ?`, id); err != nil {
		return err
	}
	return t.audit(ctx, "delegation.revoke", "delegation %s to %s revoked", d.BadgeID(), d.Name)
}

// Audit returns the newest changes first, at most limit.
func (r reader) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, e)
	}
	return out, rows.Err()
}
