"""Fetching a year's notices from Hilma's API, against a fake server on 127.0.0.1 that speaks
the documented search endpoint (POST, Azure Search body, Ocp-Apim-Subscription-Key, the
"@odata.count"/"value" answer): paging, the key, rate limiting (429 + Retry-After),
resuming after a failure, and the lead's page with the background job."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assess import hilma_fetch, import_jobs
from assess.storage import owndata as store
from tests.conftest import LEAD, login, make_app, post_form, seed_accounts, soup

NOTICES = json.loads(
    (Path(__file__).resolve().parent / "data" / "owndata" / "notices_small.json").read_text(encoding="utf-8")
)["value"]
KEY = "test-key"


class FakeHilma:
    """The search endpoint over the fixture's notices; scripted failures by request number."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail: dict[int, int] = {}  # request number (1-based) -> HTTP status to answer
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                status = fake.fail.get(len(fake.requests))
                if self.path != "/avp/notices/docs/search":
                    status = 404
                elif self.headers.get("Ocp-Apim-Subscription-Key") != KEY:
                    status = 401
                if status:
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                year = body["filter"][len("datePublished ge ") :][:4]
                found = [n for n in NOTICES if n["datePublished"].startswith(year)]
                page = found[body["skip"] : body["skip"] + body["top"]]
                data = json.dumps({"@odata.count": len(found), "value": page}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/avp/notices/docs/search"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fake():
    server = FakeHilma()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(hilma_fetch, "PAGE_SIZE", 2)


def test_fetches_every_page_of_the_year(fake, small_pages, tmp_path):
    waits: list[float] = []
    found = hilma_fetch.fetch_year(
        fake.url, KEY, 2025, [], tmp_path / "s.json", min_interval=0.5, sleep=waits.append
    )
    assert sorted(n["noticeId"] for n in found["value"]) == [1001, 1002, 1003, 1005]
    assert [r["skip"] for r in fake.requests] == [0, 2]  # 4 notices, pages of 2
    assert fake.requests[0]["filter"].startswith("datePublished ge 2025-01-01")
    assert len(waits) == len(fake.requests) - 1  # paced between pages
    assert not (tmp_path / "s.json").exists()  # complete: no state left behind


def test_business_ids_go_into_the_filter(fake, tmp_path):
    hilma_fetch.fetch_year(
        fake.url, KEY, 2025, ["0126223-0"], tmp_path / "s.json", min_interval=0, sleep=lambda _s: None
    )
    assert "organisationNationalIds/any(b: b eq '0126223-0')" in fake.requests[0]["filter"]


def test_rate_limited_answer_waits_and_retries(fake, small_pages, tmp_path):
    fake.fail = {1: 429}
    waits: list[float] = []
    found = hilma_fetch.fetch_year(
        fake.url, KEY, 2025, [], tmp_path / "s.json", min_interval=0, sleep=waits.append
    )
    assert len(found["value"]) == 4
    assert waits[0] == 0.0  # Retry-After: 0


def test_a_stopped_fetch_resumes_where_it_stopped(fake, small_pages, tmp_path):
    state = tmp_path / "s.json"
    fake.fail = {2: 500}
    with pytest.raises(hilma_fetch.FetchError):
        hilma_fetch.fetch_year(fake.url, KEY, 2025, [], state, min_interval=0, sleep=lambda _s: None)
    assert len(json.loads(state.read_text())["value"]) == 2  # the first page is kept
    found = hilma_fetch.fetch_year(fake.url, KEY, 2025, [], state, min_interval=0, sleep=lambda _s: None)
    assert [r["skip"] for r in fake.requests] == [0, 2, 2]
    assert len(found["value"]) == 4


def test_a_wrong_key_stops_with_a_reason(fake, tmp_path):
    with pytest.raises(hilma_fetch.FetchError, match="http_401"):
        hilma_fetch.fetch_year(fake.url, "wrong", 2025, [], tmp_path / "s.json", min_interval=0)


def test_unreachable_server(tmp_path):
    with pytest.raises(hilma_fetch.FetchError, match="unreachable"):
        hilma_fetch.fetch_year("http://127.0.0.1:9/x", KEY, 2025, [], tmp_path / "s.json", min_interval=0)


# --- the lead's page --------------------------------------------------------------------


def make(tmp_path, **config):
    from assess.storage.db import open_db

    app = make_app(tmp_path, **config)
    db = open_db(app.config["DATABASE"])
    return app, db, seed_accounts(db)


def test_without_a_key_there_is_no_fetch(tmp_path):
    app, _db, seeded = make(tmp_path)
    client = app.test_client()
    login(client, LEAD)
    page = f"/orgs/{seeded['org']['id']}/own-data"
    assert soup(client.get(page)).find("form", action=f"{page}/notices/fetch") is None
    assert post_form(client, f"{page}/notices/fetch", {"year": "2025"}, token_from=page).status_code == 404


def test_lead_fetches_a_year_in_the_background(fake, tmp_path, monkeypatch):
    from datetime import date

    year = date.today().year
    moved = json.loads(json.dumps(NOTICES))  # the fixture's 2025 notices, moved to this year
    for notice in moved:
        notice["datePublished"] = notice["datePublished"].replace("2025", str(year))
    monkeypatch.setattr(sys.modules[__name__], "NOTICES", moved)
    app, db, seeded = make(tmp_path, HILMA_API_KEY=KEY, HILMA_API_URL=fake.url, HILMA_API_MIN_INTERVAL=0)
    client = app.test_client()
    login(client, LEAD)
    page = f"/orgs/{seeded['org']['id']}/own-data"
    response = post_form(client, f"{page}/notices/fetch", {"year": str(year)}, token_from=page)
    assert response.status_code == 302
    job_url = response.headers["Location"]
    import_jobs.wait(import_jobs.get(job_url.rsplit("/", 1)[-1], seeded["org"]["id"]))
    done = soup(client.get(job_url)).get_text()
    assert "Ilmoitukset haettiin ja tuotiin." in done
    assert store.figures(db, seeded["org"]["id"])[year]["hilma"]["notices"] == 4
    assert post_form(client, f"{page}/notices/fetch", {"year": "1999"}, token_from=page).status_code == 400
