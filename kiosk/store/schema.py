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
)

LATEST = MIGRATIONS[-1][0]
