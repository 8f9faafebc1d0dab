"""The database schema as forward-only migrations (sqlite-utils Migrations).

Each migration is applied once, in order, in its own transaction, and recorded in
_sqlite_migrations; the schema version is the number of applied migrations. Never edit a
published migration: add a new one.

The model, for every part of the product:
- organisations, users and memberships (role lead or viewer per organisation);
- content_versions: a snapshot of every content version something was answered on, so
  later content changes never alter an assessment;
- assessments: one per organisation, year and questionnaire; kind "single" (a lead answers
  for the organisation) or "round" (respondents answer on their own, optionally live in a
  workshop); the one that counts for its year is marked;
- respondents and answers: a single assessment has one shared respondent; a round has one
  per participant, reached by an unguessable token (only its hash is stored);
- agreements: the agreed stage per area of a round;
- plan_entries (+ plan_events for their status history): the organisation's action plan,
  carried over from year to year;
- targets, metric_kinds, metric_values: targets per year, programme metric values per year;
- workshops: the live state of a round run as a workshop;
- result_cache: computed results of closed assessments, which never change;
- sessions: signed-in sessions, kept on the server (the cookie holds a random id);
- security_log: sign-ins, refusals and other security events, kept for a set period.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("hankintapolku")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            path_start_year INTEGER CHECK (path_start_year BETWEEN 2000 AND 2100),
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL DEFAULT '',
            password_hash TEXT NOT NULL,
            is_admin INTEGER NOT NULL DEFAULT 0,
            session_epoch INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE memberships (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('lead', 'viewer')),
            PRIMARY KEY (user_id, org_id)
        );
        CREATE TABLE content_versions (
            version TEXT PRIMARY KEY,
            document TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            questionnaire TEXT NOT NULL,
            content_version TEXT NOT NULL REFERENCES content_versions(version),
            kind TEXT NOT NULL CHECK (kind IN ('single', 'round')),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'final')),
            title TEXT NOT NULL DEFAULT '',
            counts INTEGER NOT NULL DEFAULT 0,
            anonymous INTEGER NOT NULL DEFAULT 0,
            join_code TEXT UNIQUE,
            deadline TEXT,
            revision INTEGER NOT NULL DEFAULT 0,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            finalised_at TEXT
        );
        CREATE INDEX assessments_org_year ON assessments(org_id, year);
        CREATE TABLE respondents (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            token_hash TEXT UNIQUE,
            name TEXT,
            shared INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX respondents_assessment ON respondents(assessment_id);
        CREATE TABLE answers (
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            value INTEGER CHECK (value BETWEEN 0 AND 4),  -- NULL is "don't know"
            updated_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, item)
        ) WITHOUT ROWID;
        CREATE TABLE area_comments (
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            comment TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (respondent_id, area)
        );
        CREATE TABLE agreements (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            agreed_stage INTEGER NOT NULL CHECK (agreed_stage BETWEEN 0 AND 5),
            reason TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (assessment_id, area)
        );
        CREATE TABLE plan_entries (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            step TEXT,
            goal INTEGER,
            item TEXT,
            text TEXT NOT NULL,
            responsible TEXT NOT NULL DEFAULT '',
            schedule_year INTEGER CHECK (schedule_year BETWEEN 2000 AND 2100),
            schedule_quarter INTEGER CHECK (schedule_quarter BETWEEN 1 AND 4),
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
            created_in INTEGER REFERENCES assessments(id) ON DELETE SET NULL,
            revision INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            done_at TEXT
        );
        CREATE INDEX plan_entries_org ON plan_entries(org_id);
        CREATE TABLE plan_events (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES plan_entries(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE targets (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            area TEXT NOT NULL,
            stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 5),
            PRIMARY KEY (org_id, year, area)
        );
        CREATE TABLE metric_kinds (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('yes_no', 'count', 'percent', 'euro', 'text')),
            PRIMARY KEY (org_id, metric)
        );
        CREATE TABLE metric_values (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            metric TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('yes_no', 'count', 'percent', 'euro', 'text')),
            value_num REAL,
            value_text TEXT,
            note TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (org_id, year, metric)
        );
        CREATE TABLE workshops (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            revealed INTEGER NOT NULL DEFAULT 0,
            show_code INTEGER NOT NULL DEFAULT 1,
            ended INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE result_cache (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
            result TEXT NOT NULL,
            computed_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_security(db: Database) -> None:
    # Sessions live on the server: the cookie holds only a random id whose hash is kept here,
    # so signing out (or an administrator disabling the user) ends a session for good.
    # epoch is users.session_epoch at sign-in: bumping it ends all of that user's sessions.
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            epoch INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            client TEXT NOT NULL DEFAULT '',
            user_agent TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE TABLE security_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            user_id INTEGER,
            username TEXT NOT NULL DEFAULT '',
            client TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX security_log_at ON security_log(at);
        """
    )


def migrate(db: Database) -> int:
    """Apply pending migrations; return the schema version (the number applied)."""
    migrations.apply(db)
    return len(migrations.applied(db))
