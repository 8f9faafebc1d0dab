"""Organisations, users and memberships."""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from typing import cast

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from .db import inserted_id, now, one, rows, write, written
from .rows import GrantRow, OrganisationRow, OrgWithRole, UserRow, UserWithGrants


class NameTaken(Exception):
    """A user name or an organisation's name (or identifier) is in use already."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def slugify(name: str) -> str:
    """A URL- and command-line-friendly identifier from an organisation's name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "org"


def is_empty(db: Database) -> bool:
    """True before the one-time setup has created the administrator."""
    return db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0


def first_setup(
    db: Database, username: str, password: str, *, display_name: str, org_name: str
) -> UserRow | None:
    """The one-time setup: the administrator and the first organisation, in one transaction.

    Returns the administrator, or None (creating nothing) when setup was done already: of
    two setups racing, the check inside the transaction lets only the first through.
    """
    with write(db):
        if not is_empty(db):
            return None
        user = create_user(db, username, password, display_name=display_name, is_admin=True)
        create_org(db, org_name)
    return user


def unique_slug(db: Database, name: str) -> str:
    """slugify(name), with -2, -3… added until no organisation has it."""
    base = slugify(name)
    slug, n = base, 2
    while one(db, "SELECT 1 FROM organisations WHERE slug = ?", (slug,)):
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_org(
    db: Database, name: str, *, is_demo: bool = False, start_year: int | None = None, slug: str | None = None
) -> OrganisationRow:
    with write(db):
        slug = slug or unique_slug(db, name)
        cur = db.execute(
            "INSERT INTO organisations (slug, name, path_start_year, is_demo, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (slug, name.strip(), start_year, int(is_demo), now()),
        )
        return written(get_org(db, inserted_id(cur)))


def add_org(db: Database, name: str, *, start_year: int | None = None) -> OrganisationRow:
    """Create an organisation whose name is not in use yet; raises NameTaken (writing
    nothing) when it is. The check and the insert are one transaction, so no duplicate
    slips in between."""
    with write(db):
        if org_name_taken(db, name):
            raise NameTaken(name)
        return create_org(db, name, start_year=start_year)


def org_name_taken(db: Database, name: str) -> bool:
    return one(db, "SELECT 1 FROM organisations WHERE lower(name) = lower(?)", (name.strip(),)) is not None


def get_org(db: Database, org_id: int) -> OrganisationRow | None:
    return cast(OrganisationRow | None, one(db, "SELECT * FROM organisations WHERE id = ?", (org_id,)))


def get_org_by_slug(db: Database, slug: str) -> OrganisationRow | None:
    return cast(OrganisationRow | None, one(db, "SELECT * FROM organisations WHERE slug = ?", (slug,)))


def set_start_year(db: Database, org_id: int, year: int | None) -> None:
    with write(db):
        db.execute("UPDATE organisations SET path_start_year = ? WHERE id = ?", (year, org_id))


def all_orgs(db: Database) -> list[OrganisationRow]:
    return cast(list[OrganisationRow], rows(db, "SELECT * FROM organisations ORDER BY name COLLATE NOCASE"))


def orgs_for_user(db: Database, user: UserRow) -> list[OrgWithRole]:
    """The organisations a user may see, each with the user's role in it; archived ones
    are hidden (administrators find them on the administration page)."""
    if user["is_admin"]:
        return [OrgWithRole(**o, role="lead") for o in all_orgs(db) if not o["archived_at"]]
    return cast(
        list[OrgWithRole],
        rows(
            db,
            "SELECT o.*, m.role FROM organisations o JOIN memberships m ON m.org_id = o.id "
            "WHERE m.user_id = ? AND o.archived_at IS NULL ORDER BY o.name COLLATE NOCASE",
            (user["id"],),
        ),
    )


# werkzeug's password hashing method: scrypt at its default cost. The test suite sets a cheap
# one (tests/conftest.py), since every user a fixture creates would otherwise cost 0.1-0.4 s.
HASH_METHOD = "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def create_user(
    db: Database, username: str, password: str, *, display_name: str = "", is_admin: bool = False
) -> UserRow:
    with write(db):
        cur = db.execute(
            "INSERT INTO users (username, display_name, password_hash, is_admin, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (username.strip(), display_name.strip(), hash_password(password), int(is_admin), now()),
        )
        return written(get_user(db, inserted_id(cur)))


def add_user(
    db: Database, username: str, password: str, *, display_name: str = "", is_admin: bool = False
) -> UserRow:
    """Create a user whose name is not in use yet; raises NameTaken (writing nothing) when
    it is, also when the same name is created at the same moment elsewhere."""
    try:
        with write(db):
            if username_taken(db, username):
                raise NameTaken(username)
            return create_user(db, username, password, display_name=display_name, is_admin=is_admin)
    except sqlite3.IntegrityError as exc:
        raise NameTaken(username) from exc


def username_taken(db: Database, username: str) -> bool:
    return one(db, "SELECT 1 FROM users WHERE username = ?", (username.strip(),)) is not None


def get_user(db: Database, user_id: int) -> UserRow | None:
    return cast(UserRow | None, one(db, "SELECT * FROM users WHERE id = ?", (user_id,)))


def authenticate(db: Database, username: str, password: str) -> UserRow | None:
    """The user whose name and password match, else None (same time either way)."""
    user = cast(
        UserRow | None,
        one(db, "SELECT * FROM users WHERE username = ? AND removed_at IS NULL", (username.strip(),)),
    )
    # Check a hash even for an unknown name, so timing does not reveal which names exist.
    pw_hash = user["password_hash"] if user else _dummy_hash(HASH_METHOD)
    ok = check_password_hash(pw_hash, password)
    return user if user and ok else None


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def set_password(
    db: Database, user_id: int, password: str, *, must_change: bool = False, keep_session: int | None = None
) -> None:
    """Store a new password hash; bumping session_epoch ends the user's sessions (but
    keep_session, the one making the change). must_change: an administrator set it, so the
    user chooses their own at next sign-in."""
    with write(db):
        db.execute(
            "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, "
            "must_change_password = ? WHERE id = ?",
            (hash_password(password), int(must_change), user_id),
        )
        if keep_session is not None:
            db.execute(
                "UPDATE sessions SET epoch = (SELECT session_epoch FROM users WHERE id = ?) "
                "WHERE id = ? AND user_id = ?",
                (user_id, keep_session, user_id),
            )


def check_password(db: Database, user_id: int, password: str) -> bool:
    """Is this the user's current password? (Asked before they change it.)"""
    user = get_user(db, user_id)
    return user is not None and check_password_hash(user["password_hash"], password)


def set_disabled(db: Database, user_id: int, disabled: bool) -> None:
    """Disable (ending every session at once) or re-enable a user."""
    with write(db):
        db.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))
        if disabled:
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


GRANTS = (
    "SELECT m.user_id, m.role, o.id AS org_id, o.name FROM memberships m "
    "JOIN organisations o ON o.id = m.org_id"
)


def all_users(db: Database) -> list[UserWithGrants]:
    """Every user (removed ones left out), each with ``grants``: their roles by
    organisation (user_id, role, org_id, name), organisations by name."""
    users = cast(
        list[UserRow],
        rows(db, "SELECT * FROM users WHERE removed_at IS NULL ORDER BY username COLLATE NOCASE"),
    )
    grants = cast(list[GrantRow], rows(db, f"{GRANTS} ORDER BY o.name COLLATE NOCASE"))
    return [
        UserWithGrants(**user, grants=[x for x in grants if x["user_id"] == user["id"]]) for user in users
    ]


def user_grants(db: Database, user_id: int) -> list[GrantRow]:
    """One user's roles by organisation, as all_users gives them."""
    return cast(
        list[GrantRow], rows(db, f"{GRANTS} WHERE m.user_id = ? ORDER BY o.name COLLATE NOCASE", (user_id,))
    )


def member_counts(db: Database) -> dict[int, int]:
    """Organisation id -> how many users have a role in it."""
    return {
        r["org_id"]: r["n"] for r in rows(db, "SELECT org_id, COUNT(*) AS n FROM memberships GROUP BY org_id")
    }


def grant(db: Database, user_id: int, org_id: int, role: str | None) -> None:
    """Give a user a role in an organisation, or take it away with role None."""
    with write(db):
        if role is None:
            db.execute("DELETE FROM memberships WHERE user_id = ? AND org_id = ?", (user_id, org_id))
        else:
            db.execute(
                "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role",
                (user_id, org_id, role),
            )


def role(db: Database, user_id: int, org_id: int) -> str | None:
    """The user's role ("lead"/"viewer") in the organisation; None without one, and for an
    archived organisation (hidden from its users until an administrator restores it)."""
    row = one(
        db,
        "SELECT m.role FROM memberships m JOIN organisations o ON o.id = m.org_id "
        "WHERE m.user_id = ? AND m.org_id = ? AND o.archived_at IS NULL",
        (user_id, org_id),
    )
    return row["role"] if row else None


def org_members(db: Database, org_id: int) -> list[dict]:
    """The users with a role in the organisation (id, username, display_name, role)."""
    return rows(
        db,
        "SELECT u.id, u.username, u.display_name, m.role FROM memberships m "
        "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.username",
        (org_id,),
    )
