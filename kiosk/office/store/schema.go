package store

// migrations are the schema's history: migration i+1 brings a database of
// version i to version i+1. A released migration is never edited; a change
// is a new one at the end.
var migrations = []string{
	// 1: the school, its staff, the classes and their cases, the audit.
	`
CREATE TABLE school (
	id       INTEGER PRIMARY KEY CHECK (id = 1), -- one school building (plesso) per office
	code     TEXT NOT NULL DEFAULT '',           -- codice meccanografico
	name     TEXT NOT NULL DEFAULT '',           -- the plesso's name
	address  TEXT NOT NULL DEFAULT '',
	key_pem  TEXT NOT NULL DEFAULT '',           -- the badge signing key: never leaves this machine
	cert_pem TEXT NOT NULL DEFAULT ''            -- its certificate, which every kiosk receives
);
INSERT INTO school (id) VALUES (1);

CREATE TABLE accounts (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	role     TEXT NOT NULL CHECK (role IN ('dirigente', 'segreteria')),
	password TEXT NOT NULL, -- argon2id, PHC string with its salt
	created  TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash BLOB PRIMARY KEY, -- SHA-256 of the cookie's token: a stolen database opens no session
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE classes (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	level    TEXT NOT NULL,
	enrolled INTEGER NOT NULL CHECK (enrolled BETWEEN 0 AND 100)
);

-- A positive case among a class's pupils: the day it was found, and
-- nothing else. Staff cases are not entered.
CREATE TABLE cases (
	id       INTEGER PRIMARY KEY,
	class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
	day      TEXT NOT NULL -- YYYY-MM-DD
);
CREATE INDEX cases_by_class ON cases (class_id, day);

CREATE TABLE audit (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL, -- RFC 3339, UTC
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	detail TEXT NOT NULL
);
`,
	// 2: what the kiosk's TOML held besides the classes: the head
	// teacher's verify_until overrides, the added rule sets, the
	// delegations (Allegato A).
	`
CREATE TABLE verify_until (
	class_id INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,
	until    TEXT NOT NULL -- YYYY-MM-DD, included
);

-- Rule sets added to the built-in ones (kiosk/school.DefaultRuleSets),
-- which stay in the code.
CREATE TABLE rule_sets (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	from_day    TEXT NOT NULL UNIQUE,
	episode_gap INTEGER NOT NULL,
	levels      TEXT NOT NULL -- JSON: level → school.LevelRule
);

CREATE TABLE delegations (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL, -- the delegate, a member of staff
	role        TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	revoked     INTEGER NOT NULL DEFAULT 0,
	created     TEXT NOT NULL
);
`,
	// 3: what the documents print about the school (Allegato A and B):
	// the institution it belongs to, its town and e-mail, the head
	// teacher, the DPO, the notice's page, and the day these were last
	// changed (the notice's publication day).
	`
ALTER TABLE school ADD COLUMN institution     TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN city            TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN email           TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN head_teacher    TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN dpo_name        TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN dpo_email       TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN informativa_url TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN updated         TEXT NOT NULL DEFAULT ''; -- YYYY-MM-DD
`,
	// 4: the school's kiosks (kiosk/link): the pairing codes, each kiosk
	// with the key it is known by, its counts per day and class, and the
	// signed school bundle they follow.
	`
CREATE TABLE pairing_codes (
	secret_hash BLOB PRIMARY KEY, -- SHA-256 of the QR's one-time secret
	expires     TEXT NOT NULL     -- RFC 3339, UTC
) WITHOUT ROWID;

CREATE TABLE kiosks (
	id        INTEGER PRIMARY KEY,
	name      TEXT NOT NULL,
	entrance  TEXT NOT NULL,
	key_id    TEXT NOT NULL UNIQUE, -- the SHA-256 of its client certificate's key
	paired    TEXT NOT NULL,        -- RFC 3339, UTC
	unpaired  TEXT NOT NULL DEFAULT '', -- set when unpaired: its key opens nothing since
	last_seen TEXT NOT NULL DEFAULT '',
	version   TEXT NOT NULL DEFAULT '',
	holds     INTEGER NOT NULL DEFAULT 0 -- the bundle it holds
);
-- Two paired kiosks never share a name; an unpaired one leaves its name free.
CREATE UNIQUE INDEX kiosks_paired_name ON kiosks (name) WHERE unpaired = '';

-- What each kiosk counted, per day and class: absolute values, replaced by
-- each sending. Kept after an unpairing: they are the day's counts.
CREATE TABLE kiosk_counts (
	kiosk_id INTEGER NOT NULL REFERENCES kiosks (id),
	day      TEXT NOT NULL, -- YYYY-MM-DD
	class    TEXT NOT NULL,
	admitted INTEGER NOT NULL CHECK (admitted >= 0),
	refused  INTEGER NOT NULL CHECK (refused >= 0),
	PRIMARY KEY (day, kiosk_id, class)
) WITHOUT ROWID;

-- The signed bundles, newest last: the kiosks' list shows how old the one
-- each holds is. Only the newest's bytes are kept.
CREATE TABLE bundles (
	seq    INTEGER PRIMARY KEY,
	signed TEXT NOT NULL, -- RFC 3339, UTC
	digest BLOB NOT NULL, -- SHA-256 of the content before signing, to tell a change
	raw    BLOB          -- the signed bundle; NULL once a newer one exists
);
`,
	// 5: the reports to the ATS (privacy/report): the outbox, one row per
	// plesso, kind and period, committed before it is sent; the portal's
	// address and the plesso's credential; the two sentinel weekdays.
	`
CREATE TABLE report_outbox (
	school    TEXT NOT NULL,    -- the plesso's code when queued
	kind      TEXT NOT NULL CHECK (kind IN ('profile', 'absences')),
	period    TEXT NOT NULL,    -- the school year (profile) or the day (absences)
	body      TEXT NOT NULL,    -- the report's JSON, validated
	version   INTEGER NOT NULL, -- +1 at each queuing: a send settles only the version it sent
	state     TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'refused')),
	attempts  INTEGER NOT NULL DEFAULT 0,
	next_at   INTEGER NOT NULL, -- unix ms: no attempt before
	reason    TEXT NOT NULL DEFAULT '',
	status    INTEGER NOT NULL DEFAULT 0, -- the portal's last HTTP status
	field     TEXT NOT NULL DEFAULT '',
	queued_at INTEGER NOT NULL, -- unix ms
	sent_at   INTEGER,          -- unix ms
	PRIMARY KEY (school, kind, period)
);
CREATE INDEX report_outbox_due ON report_outbox (state, next_at);

ALTER TABLE school ADD COLUMN portal_url    TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN portal_token  TEXT NOT NULL DEFAULT '';    -- the plesso's bearer credential
ALTER TABLE school ADD COLUMN sentinel_days TEXT NOT NULL DEFAULT '1,4'; -- weekdays, Sunday 0: Monday and Thursday
`,
}
