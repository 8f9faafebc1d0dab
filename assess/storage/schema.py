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
- agreements: the agreed stage per area of a round; a round's options
  (assessments.show_team_to_respondents: respondents see their answers beside the team's);
- plan_entries (+ plan_events for their status history): the organisation's action plan,
  carried over from year to year;
- targets, metric_kinds, metric_values: targets per year, programme metric values per year;
- workshops: the live state of a round run as a workshop;
- result_cache: computed results of closed assessments, which never change;
- own data (metrics from the organisation's own files): own_data_settings (home and local
  municipalities, business ids), invoice_rows (raw purchase-invoice rows per year),
  supplier_municipalities, hilma_notices, own_figures (the computed figures per year and
  source) and metric_value_origins (where a saved metric value came from);
- org_profiles: an organisation's benchmark profile (type, size band, region) and its
  consent to be included in the anonymous benchmark;
- benchmark_groups and benchmark_group_members: named comparison groups and the
  invitations to them (invited, member, declined, left);
- benchmark_installation: this installation's public id and the secret its pseudonyms
  are made with; pooled_sources and pooled_rows: other installations' benchmark rows;
- benchmark_scores: stage and index per area of final assessments, kept with the
  assessment's revision and the rules' version, so the benchmark reads them without rescoring;
- lifecycle: archived_at/archived_by on assessments and organisations, removed users kept as
  placeholders (users.removed_at), erased respondents' aliases (respondents.alias);
  lifecycle_events records who deleted, archived, restored or erased what and when (never a
  person's name); maintenance remembers when the retention rule last ran;
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
def m002_own_data(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE own_data_settings (
            org_id INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
            home_municipality TEXT NOT NULL DEFAULT '',
            local_municipalities TEXT NOT NULL DEFAULT '[]',  -- JSON list of names
            business_ids TEXT NOT NULL DEFAULT '[]',  -- JSON list: whose Hilma notices are ours
            updated_at TEXT NOT NULL
        );
        CREATE TABLE invoice_rows (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            line INTEGER NOT NULL,
            voucher_date TEXT NOT NULL,
            voucher TEXT NOT NULL DEFAULT '',
            supplier_id TEXT NOT NULL DEFAULT '',
            supplier_name TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            cents INTEGER NOT NULL,
            service_class TEXT NOT NULL DEFAULT '',
            account TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX invoice_rows_org_year ON invoice_rows(org_id, year);
        CREATE TABLE supplier_municipalities (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            business_id TEXT NOT NULL,
            municipality TEXT NOT NULL,
            PRIMARY KEY (org_id, business_id)
        ) WITHOUT ROWID;
        CREATE TABLE hilma_notices (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            notice_id TEXT NOT NULL,
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            published TEXT NOT NULL,
            procedure_type TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            figures TEXT NOT NULL DEFAULT '[]',  -- JSON list of the figures it counts in
            PRIMARY KEY (org_id, notice_id)
        );
        CREATE INDEX hilma_notices_org_year ON hilma_notices(org_id, year);
        CREATE TABLE own_figures (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            source TEXT NOT NULL CHECK (source IN ('invoices', 'hilma')),
            figures TEXT NOT NULL,  -- JSON: the computed figures and what they left out
            file_name TEXT NOT NULL DEFAULT '',
            computed_at TEXT NOT NULL,
            PRIMARY KEY (org_id, year, source)
        );
        CREATE TABLE metric_value_origins (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            metric TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('computed', 'edited')),
            source TEXT NOT NULL CHECK (source IN ('invoices', 'hilma')),
            computed_value REAL NOT NULL,
            trace TEXT NOT NULL,  -- JSON: what the figure was computed from
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (org_id, year, metric)
        );
        """
    )


@migrations()
def m003_benchmark(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE org_profiles (
            org_id INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
            org_type TEXT,
            size_class TEXT,
            region TEXT,
            consent INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
            consent_changed_at TEXT,
            consent_changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE benchmark_groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description TEXT NOT NULL DEFAULT '',
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE benchmark_group_members (
            group_id INTEGER NOT NULL REFERENCES benchmark_groups(id) ON DELETE CASCADE,
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('invited', 'member', 'declined', 'left')),
            invited_at TEXT NOT NULL,
            answered_at TEXT,
            answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            PRIMARY KEY (group_id, org_id)
        );
        CREATE INDEX benchmark_group_members_org ON benchmark_group_members(org_id);
        CREATE TABLE benchmark_installation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            installation TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE pooled_sources (
            id INTEGER PRIMARY KEY,
            installation TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            exported_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            digest TEXT NOT NULL
        );
        CREATE TABLE pooled_rows (
            source_id INTEGER NOT NULL REFERENCES pooled_sources(id) ON DELETE CASCADE,
            pseudonym TEXT NOT NULL,
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            org_type TEXT,
            size_class TEXT,
            region TEXT,
            questionnaire TEXT NOT NULL,
            content_version TEXT NOT NULL,
            area TEXT NOT NULL,
            stage INTEGER CHECK (stage BETWEEN 0 AND 5),
            idx REAL CHECK (idx BETWEEN 0 AND 5),
            PRIMARY KEY (source_id, pseudonym, year, area)
        );
        CREATE INDEX pooled_rows_year ON pooled_rows(year);
        CREATE TABLE benchmark_scores (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            finalised_at TEXT,
            rules INTEGER NOT NULL,  -- rules.RULE_VERSION that scored it
            area TEXT NOT NULL,
            stage INTEGER,
            idx REAL,
            PRIMARY KEY (assessment_id, area)
        );
        CREATE INDEX assessments_year_final ON assessments(year, status);
        """
    )


@migrations()
def m004_lifecycle(db: Database) -> None:
    """Retiring and erasing data: archived assessments and organisations, removed users
    (kept as a row so what they did stays attributable), respondents whose name was
    replaced by "Respondent n", a record of every deletion, archiving and erasure, and the
    date the retention rule last ran."""
    db.executescript(
        """
        ALTER TABLE assessments ADD COLUMN archived_at TEXT;
        ALTER TABLE assessments ADD COLUMN archived_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
        ALTER TABLE organisations ADD COLUMN archived_at TEXT;
        ALTER TABLE organisations ADD COLUMN archived_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
        ALTER TABLE users ADD COLUMN removed_at TEXT;
        ALTER TABLE respondents ADD COLUMN alias INTEGER;
        CREATE TABLE lifecycle_events (
            id INTEGER PRIMARY KEY,
            org_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
            assessment_id INTEGER,  -- no reference: the record outlives a deleted assessment
            kind TEXT NOT NULL CHECK (kind IN ('assessment', 'round', 'plan_entry',
                'organisation', 'user', 'respondent')),
            action TEXT NOT NULL CHECK (action IN ('deleted', 'archived', 'restored', 'erased',
                'answers_removed', 'pseudonymised')),
            label TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '',
            by_user INTEGER REFERENCES users(id) ON DELETE SET NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX lifecycle_events_org ON lifecycle_events(org_id);
        CREATE INDEX lifecycle_events_assessment ON lifecycle_events(assessment_id);
        CREATE TABLE maintenance (
            task TEXT PRIMARY KEY,
            last_run TEXT NOT NULL
        );
        """
    )


@migrations()
def m005_security(db: Database) -> None:
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


@migrations()
def m006_round_options(db: Database) -> None:
    # A round option the lead sets: once the round is closed, may each respondent see their own
    # answers beside the team's values on their personal link? Off unless the lead turns it on.
    db.executescript(
        """
        ALTER TABLE assessments ADD COLUMN show_team_to_respondents INTEGER NOT NULL DEFAULT 0;
        """
    )


@migrations()
def m007_metric_kinds(db: Database) -> None:
    """The metric tables keep a value kind's name without a CHECK listing the kinds: the kinds
    are the registry in assess/metrics.py (KINDS), checked on every write, so a new kind needs
    no table rebuild. Rebuilt once here, keeping every row; statement by statement, so that
    the whole rebuild is the migration's one transaction (executescript would commit early)."""
    script = """
        CREATE TABLE metric_kinds_new (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (org_id, metric)
        );
        INSERT INTO metric_kinds_new (org_id, metric, kind)
            SELECT org_id, metric, kind FROM metric_kinds;
        DROP TABLE metric_kinds;
        ALTER TABLE metric_kinds_new RENAME TO metric_kinds;
        CREATE TABLE metric_values_new (
            org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            metric TEXT NOT NULL,
            kind TEXT NOT NULL,
            value_num REAL,
            value_text TEXT,
            note TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (org_id, year, metric)
        );
        INSERT INTO metric_values_new (org_id, year, metric, kind, value_num, value_text, note,
                                       source, updated_at)
            SELECT org_id, year, metric, kind, value_num, value_text, note, source, updated_at
            FROM metric_values;
        DROP TABLE metric_values;
        ALTER TABLE metric_values_new RENAME TO metric_values;
        """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m008_plan_numbers(db: Database) -> None:
    # A plan entry keeps its number for life ("action 3" stays 3 when another entry is
    # rescheduled or deleted): numbers are given per organisation from a counter that never
    # goes back, so a deleted entry's number is not reused. Existing entries are numbered in
    # the order the plan showed them (schedule order, unscheduled last, then creation).
    db.executescript(
        """
        ALTER TABLE plan_entries ADD COLUMN number INTEGER;
        -- A plan owner picked from the organisation's users; the name is kept in responsible
        -- as well, so an entry whose user is deleted still shows who it was.
        ALTER TABLE plan_entries ADD COLUMN responsible_user INTEGER
            REFERENCES users(id) ON DELETE SET NULL;
        ALTER TABLE organisations ADD COLUMN plan_numbers_used INTEGER NOT NULL DEFAULT 0;
        CREATE TEMP TABLE plan_numbers AS
            SELECT id, ROW_NUMBER() OVER (
                PARTITION BY org_id ORDER BY schedule_year IS NULL, schedule_year,
                schedule_quarter IS NULL, schedule_quarter, id) AS n
            FROM plan_entries;
        UPDATE plan_entries SET number = (SELECT n FROM plan_numbers WHERE id = plan_entries.id);
        DROP TABLE plan_numbers;
        UPDATE organisations SET plan_numbers_used = (
            SELECT COUNT(*) FROM plan_entries WHERE plan_entries.org_id = organisations.id);
        CREATE UNIQUE INDEX plan_entries_org_number ON plan_entries(org_id, number);
        """
    )


def migrate(db: Database) -> int:
    """Apply pending migrations; return the schema version (the number applied)."""
    migrations.apply(db)
    return len(migrations.applied(db))
