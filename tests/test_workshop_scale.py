"""A workshop room at scale: phones' polls answered "nothing changed" without the database,
the polling interval set from the room's size, phones shed before the facilitator under
overload, and answers written by two processes at once all stored, the writers of several
processes queueing on one lock file."""

from __future__ import annotations

import fcntl
import multiprocessing
import multiprocessing.synchronize
import os
import sqlite3
import time
from pathlib import Path

import pytest

from assess import room_gate, workshop
from assess.storage import db as db_module
from assess.storage import live_state, rounds, workshops
from assess.storage.db import one, open_db, write
from tests.conftest import make_app
from tests.test_workshop import act, join, live_token, make_round, start, walk


@pytest.fixture
def room(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    assert start(lead, row["id"]).status_code == 302
    phones = [join(app, row["join_code"], name) for name in ("Maija", "Pekka")]
    return {"round": row, "phones": phones, "slides": walk(app)}


def poll(phone, link: str, etag: str | None = None, have: str = ""):
    headers = {"If-None-Match": etag} if etag else {}
    return phone.get(f"{link}/live/state?have={have}", headers=headers)


def gate_of(app) -> room_gate.RoomGate:
    assert isinstance(app.wsgi_app, room_gate.RoomGate)
    return app.wsgi_app


# --- polls that cost nothing ---------------------------------------------------------------


def test_unchanged_poll_is_answered_304_without_the_database(app, lead, room):
    phone, link = room["phones"][0]
    slides = room["slides"]
    first = poll(phone, link)
    assert first.status_code == 200 and first.get_json()["slide"]["id"] == slides[0].id
    etag = first.headers["ETag"]
    # Point the app at a database that cannot be opened: any request that touches the
    # database now fails, so a 304 proves the poll never opened it.
    real = app.config["DATABASE"]
    app.config["DATABASE"] = str(Path(real).parent / "missing" / "assess.db")
    try:
        unchanged = poll(phone, link, etag, slides[0].id)
        assert unchanged.status_code == 304 and unchanged.get_data() == b""
        assert unchanged.headers["ETag"] == etag
    finally:
        app.config["DATABASE"] = real
    # The ETag is bound to the personal link: on another phone's link, or on a made-up
    # token, it is not "unchanged".
    other, other_link = room["phones"][1]
    assert poll(other, other_link, etag).status_code == 200
    code = room["round"]["join_code"]
    assert poll(phone, f"/r/{code}/{'x' * 32}", etag).status_code == 404
    # The facilitator moves on: the same ETag now gets the new slide.
    assert act(lead, room["round"]["id"], "move", {"to": "1"}).status_code == 200
    moved = poll(phone, link, etag, slides[0].id)
    assert moved.status_code == 200 and moved.get_json()["slide"]["id"] == slides[1].id
    assert moved.headers["ETag"] != etag
    assert poll(phone, link, moved.headers["ETag"], slides[1].id).status_code == 304


def test_every_change_a_phone_shows_gives_a_new_version(app, db, lead, room):
    phone, link = room["phones"][0]
    rid = room["round"]["id"]
    etag = poll(phone, link).headers["ETag"]
    act(lead, rid, "code", {"value": "0"})  # the join code is not on the phones: no change
    assert poll(phone, link, etag).status_code == 304
    act(lead, rid, "reveal", {"value": "1"})
    revealed = poll(phone, link, etag)
    assert revealed.status_code == 200 and revealed.get_json()["revealed"] is True
    etag = revealed.headers["ETag"]
    rounds.close_round(db, rid)  # closed from the round page while phones follow
    closed = poll(phone, link, etag)
    assert closed.status_code == 200 and closed.get_json()["status"] == "ended"


def test_version_file_names_the_committed_state(app, db, room):
    rid, code = room["round"]["id"], room["round"]["join_code"]
    folder = live_state.folder_for(app.config["DATABASE"])
    assert live_state.read(folder, code) == live_state.room_version("open", workshops.get(db, rid))
    workshops.move(db, rid, 3, len(room["slides"]))
    assert live_state.read(folder, code) == "o.3.0.0"
    assert live_state.read(folder, "../assess.db") is None  # never a path outside the folder


def test_poll_interval_grows_with_the_room(room):
    assert workshop.poll_interval_ms(2) == 1200
    assert workshop.poll_interval_ms(200) == 1200
    assert workshop.poll_interval_ms(600) == 1400
    assert workshop.poll_interval_ms(1000) == 1800
    assert workshop.poll_interval_ms(50_000) == 1800
    phone, link = room["phones"][0]
    assert poll(phone, link).get_json()["poll_ms"] == 1200


# --- overload: phones wait, the facilitator does not ------------------------------------------


def test_under_overload_phones_fetches_are_shed_and_the_facilitator_is_served(db_seed):
    app, lead, row, phone, link = db_seed
    gate = gate_of(app)
    assert gate.limit == 2  # 4 threads, 2 kept for requests that are never shed
    token = live_token(phone, link)
    gate.busy = gate.limit  # as if two phone requests were being served right now
    try:
        shed = poll(phone, link)
        assert shed.status_code == 503 and shed.headers["Retry-After"] == "2"
        assert shed.get_json() == {"busy": True, "retry_ms": 2000}
        answer = phone.post(
            f"{link}/live/answer",
            json={"item": walk(app)[0].items[0], "value": 3},
            headers={"X-CSRFToken": token},
        )
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
        assert answer.get_json() == {"busy": True, "retry_ms": 250}
        # Pages are never shed (no phone sees an error page), nor the facilitator and projector.
        assert phone.get(f"{link}/live").status_code == 200
        assert lead.get(f"/assessments/{row['id']}/workshop/state").status_code == 200
        assert act(lead, row["id"], "move", {"to": "1"}).status_code == 200
    finally:
        gate.busy = 0
    database = open_db(app.config["DATABASE"])
    try:  # a shed answer is not stored: live.js sends it again after Retry-After
        assert database.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0
    finally:
        database.conn.close()
    assert poll(phone, link).status_code == 200


@pytest.fixture
def db_seed(tmp_path):
    from tests.conftest import LEAD, login, seed_accounts

    app = make_app(tmp_path, SERVER_THREADS=4)
    database = open_db(app.config["DATABASE"])
    try:
        seeded = seed_accounts(database)
        row = make_round(database, app, seeded)
    finally:
        database.conn.close()
    lead = app.test_client()
    login(lead, LEAD)
    assert start(lead, row["id"]).status_code == 302
    phone, link = join(app, row["join_code"])
    return app, lead, row, phone, link


# --- two worker processes writing at once ------------------------------------------------------


def _answer_all(
    database: str,
    respondent_ids: list[int],
    items: list[tuple[str, str]],
    go: multiprocessing.synchronize.Event,
) -> None:
    """One worker process: save every item for its respondents through the app's storage."""
    db = open_db(database)
    go.wait(30)
    for n, respondent_id in enumerate(respondent_ids):
        for k, (area, item) in enumerate(items):
            workshops.save_answer(db, respondent_id, area, item, (n + k) % 5)
    db.conn.close()


def test_answers_written_by_two_processes_at_once_are_all_stored(app, db, seeded):
    row = make_round(db, app, seeded)
    content = app.extensions["content"]
    items = [(content.items[i].area, i) for s in walk(app) for i in s.items][:20]
    ids = [rounds.join(db, row["id"], f"tok{n:029d}", f"P{n}")[0]["id"] for n in range(16)]
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    workers = [
        context.Process(target=_answer_all, args=(app.config["DATABASE"], part, items, go))
        for part in (ids[::2], ids[1::2])
    ]
    for worker in workers:
        worker.start()
    go.set()  # both start writing at the same moment
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    stored = db.execute(
        "SELECT COUNT(*) FROM answers x JOIN respondents r ON r.id = x.respondent_id "
        "WHERE r.assessment_id = ?",
        (row["id"],),
    ).fetchone()[0]
    assert stored == len(ids) * len(items)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _hold_the_write(
    database: str, holding: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event
) -> None:
    """Another worker process in the middle of a write transaction until told to finish."""
    db = open_db(database)
    with write(db):
        db.execute("UPDATE assessments SET title = 'kirjoittaja 2' WHERE id = 1")
        holding.set()
        release.wait(30)
    db.conn.close()


def test_a_write_of_another_process_holds_the_lock_file_until_it_commits(app, db, seeded):
    # Writers of several worker processes queue on a lock file beside the database: a waiting
    # writer goes on the moment the other commits, where SQLite's busy handler would sleep.
    make_round(db, app, seeded)
    lock_path = f"{app.config['DATABASE']}.writelock"
    context = multiprocessing.get_context("spawn")
    holding, release = context.Event(), context.Event()
    other = context.Process(target=_hold_the_write, args=(app.config["DATABASE"], holding, release))
    other.start()
    try:
        assert holding.wait(60)
        probe = os.open(lock_path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # A writer of this process waits for it and gives up at its deadline, writing nothing.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                db_module._process_lock(lock_path, time.monotonic() + 0.2)
            release.set()
            other.join(60)
            assert other.exitcode == 0
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once it committed
            fcntl.flock(probe, fcntl.LOCK_UN)
        finally:
            os.close(probe)
    finally:
        release.set()
        other.join(60)
    with write(db):  # and this process writes as usual
        db.execute("UPDATE assessments SET title = 'kirjoittaja 1' WHERE id = 1")
    assert one(db, "SELECT title FROM assessments WHERE id = 1")["title"] == "kirjoittaja 1"


def _try_the_lock(lock_path: str, result: multiprocessing.synchronize.Event) -> None:
    try:
        db_module._process_lock(lock_path, time.monotonic() + 0.3)
    except sqlite3.OperationalError:
        result.set()  # waited for the parent, as it must


def test_a_forked_worker_does_not_share_the_parents_lock(app, db, seeded):
    # gunicorn loads the app in its master and forks the workers: a descriptor inherited
    # through fork would hold the same lock as the parent's, letting both write at once.
    make_round(db, app, seeded)
    lock_path = f"{app.config['DATABASE']}.writelock"
    context = multiprocessing.get_context("fork")
    waited = context.Event()
    with write(db):  # the parent holds the lock (its descriptor opened here) ...
        child = context.Process(target=_try_the_lock, args=(lock_path, waited))
        child.start()  # ... and a forked child must not get it
        child.join(60)
    assert child.exitcode == 0 and waited.is_set()


def test_a_process_keeps_only_a_few_lock_files_open(tmp_path):
    # Bounded like every store: a process that writes to many databases one after another
    # (the test suite, restoring backups) must not run out of file descriptors.
    for n in range(40):
        db = open_db(tmp_path / f"{n}.db")
        with write(db):
            db.execute("CREATE TABLE IF NOT EXISTS t (x)")
        db.conn.close()
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, closed meanwhile
        if target.startswith(str(tmp_path)) and target.endswith(".writelock"):
            held.append(target)
    assert 0 < len(held) <= 16


def test_pooled_connection_is_kept_per_thread_and_never_left_in_a_transaction(tmp_path):
    from assess.state import get_db

    app = make_app(tmp_path, DB_POOL=True)
    with app.app_context():
        first = get_db()
        first.conn.execute("BEGIN IMMEDIATE")  # a request that failed half-way through a write
    with app.app_context():
        again = get_db()
        assert again is first and not again.conn.in_transaction
    other = make_app(tmp_path / "other", DB_POOL=True)  # another database: another connection
    with other.app_context():
        assert get_db() is not first


def test_under_gunicorn_a_long_wait_in_the_queue_is_what_sheds_phones(db_seed):
    import time

    app, lead, row, phone, link = db_seed
    try:
        room_gate.queued.at = time.monotonic()  # taken at once: served, however busy
        gate_of(app).busy = 10
        assert poll(phone, link).status_code == 200
        room_gate.queued.at = time.monotonic() - 0.3  # a poll that waited 0.3 s is put off
        assert poll(phone, link).status_code == 503
        assert lead.get(f"/assessments/{row['id']}/workshop/state").status_code == 200
        token = live_token(phone, link)
        room_gate.queued.at = time.monotonic() - 0.3  # a vote still gets in
        vote = phone.post(
            f"{link}/live/answer",
            json={"item": walk(app)[0].items[0], "value": 2},
            headers={"X-CSRFToken": token},
        )
        assert vote.status_code == 200
        room_gate.queued.at = time.monotonic() - 0.6  # and after 0.6 s, when polls wait
        vote = phone.post(
            f"{link}/live/answer",
            json={"item": walk(app)[0].items[0], "value": 2},
            headers={"X-CSRFToken": token},
        )
        assert vote.status_code == 200
        room_gate.queued.at = time.monotonic() - 1.2  # a vote that waited 1.2 s is put off
        vote = phone.post(
            f"{link}/live/answer",
            json={"item": walk(app)[0].items[0], "value": 2},
            headers={"X-CSRFToken": token},
        )
        assert vote.status_code == 503
    finally:
        room_gate.queued.at = None
        gate_of(app).busy = 0
