"""Versioned schema migrations: each step runs once, in its own transaction."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE people (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            external_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE templates (
            id TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            pack_id TEXT NOT NULL,
            embedding_size INTEGER NOT NULL,
            sealed BLOB NOT NULL,
            quality REAL NOT NULL,
            frames_used INTEGER NOT NULL,
            created TEXT NOT NULL
        );
        CREATE INDEX templates_person ON templates(person_id);
        CREATE TABLE admins (
            name TEXT PRIMARY KEY,
            pin_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until REAL NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            event TEXT NOT NULL,
            person_id INTEGER,
            score REAL,
            decision TEXT,
            detail TEXT
        );
        CREATE INDEX audit_time ON audit(time);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        # The event outbox (kiosk.events): one row per event, written in the transaction of
        # its audit row; one cursor per sink (the last seq it acknowledged, and the back-off
        # of the event at its head), so each sink is served in order.
        """
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            time TEXT NOT NULL,
            type TEXT NOT NULL,
            body BLOB NOT NULL
        );
        CREATE INDEX outbox_time ON outbox(time);
        CREATE TABLE outbox_cursor (
            sink TEXT PRIMARY KEY,
            delivered_seq INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL DEFAULT 0,
            last_error TEXT,
            last_error_time TEXT,
            last_delivered_time TEXT
        );
        """,
    ),
    (
        3,
        # Fleet sync (kiosk/fleet): the change journal is written in the same transaction
        # as the people change it notes, so a crash can never lose a change to push.
        """
        CREATE TABLE fleet_journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            external_id TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('enroll', 're_enroll', 'delete', 'import')),
            time TEXT NOT NULL
        );
        CREATE TABLE fleet_records (
            external_id TEXT PRIMARY KEY,
            fleet_id TEXT NOT NULL UNIQUE,
            rev INTEGER NOT NULL,
            tombstone INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE fleet_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        4,
        # Face crops (kiosk/store/faces.py): one small sealed picture per person for the
        # admin's screens, gone with the person (cascade) and replaced by a re-enrollment.
        """
        CREATE TABLE face_crops (
            person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
            sealed BLOB NOT NULL,
            created TEXT NOT NULL
        );
        """,
    ),
    (
        5,
        # Trends for the dashboard and `kiosk report` (kiosk/store/stats.py): one row per
        # sign-in attempt (outcome, time to decision, frame rejections per reason) and the
        # camera's live / down spans while the kiosk ran. Never a vector, an image or a name.
        """
        CREATE TABLE signin_stats (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('accept', 'retry', 'reject', 'spoof')),
            decision_ms INTEGER,
            frames_analyzed INTEGER NOT NULL,
            rejected TEXT NOT NULL
        );
        CREATE INDEX signin_stats_time ON signin_stats(time);
        CREATE TABLE camera_spans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            live INTEGER NOT NULL CHECK (live IN (0, 1)),
            start TEXT NOT NULL,
            end TEXT NOT NULL
        );
        CREATE INDEX camera_spans_end ON camera_spans(end);
        """,
    ),
    (
        6,
        # Attendance (kiosk/store/punches.py): one row per IN or OUT punch, gone with the
        # person (cascade), carried by backups. ``time`` is UTC ISO (sorts as text).
        """
        CREATE TABLE punches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            time TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out'))
        );
        CREATE INDEX punches_person_time ON punches(person_id, time);
        CREATE INDEX punches_time ON punches(time);
        """,
    ),
    (
        7,
        # Card + face (kiosk/flows/verify.py): a personal fallback PIN per person (scrypt, as
        # the admin PIN), and consecutive failed sign-ins per claimed person and method (face,
        # pin) with the lockout they earned (kiosk/store/attempts.py). Both go with the person.
        """
        CREATE TABLE person_pins (
            person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
            pin_hash TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE signin_attempts (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            method TEXT NOT NULL CHECK (method IN ('face', 'pin')),
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until REAL NOT NULL DEFAULT 0,
            updated TEXT NOT NULL,
            PRIMARY KEY (person_id, method)
        );
        """,
    ),
    (
        8,
        # Site liveness samples (kiosk/store/liveness_samples.py): what the kiosk kept of each
        # frame the operator taught it (kiosk/flows/teach.py): the liveness feature vector of
        # the largest face and its names, never the image. ``session`` groups one recording.
        """
        CREATE TABLE liveness_samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session TEXT NOT NULL,
            label TEXT NOT NULL CHECK (label IN ('live', 'spoof')),
            kind TEXT NOT NULL CHECK (kind IN ('phone', 'tablet', 'print', 'real')),
            time TEXT NOT NULL,
            features TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE INDEX liveness_samples_time ON liveness_samples(time);
        """,
    ),
    (
        9,
        # Privacy (docs/store.md "Privacy"): a deleted person's audit rows keep their decision
        # and time but lose the person id for a pseudonym (kiosk/store/privacy.py); a person
        # keeps the version and time of the consent text they agreed to at enrollment.
        """
        ALTER TABLE audit ADD COLUMN pseudonym TEXT;
        ALTER TABLE people ADD COLUMN consent_version TEXT;
        ALTER TABLE people ADD COLUMN consent_time TEXT;
        """,
    ),
    (
        10,
        # Several looks per person (issue 24): a template row is one look. ``label`` is the
        # operator's free text ("glasses", "beard"); ``kind`` 'recent' marks the one look an
        # accepted sign-in may refresh (enroll.refresh_recent_look), never counted as enrolled.
        """
        ALTER TABLE templates ADD COLUMN label TEXT NOT NULL DEFAULT '';
        ALTER TABLE templates ADD COLUMN kind TEXT NOT NULL DEFAULT 'enrolled' CHECK (kind IN ('enrolled', 'recent'));
        """,
    ),
)

LATEST = MIGRATIONS[-1][0]
