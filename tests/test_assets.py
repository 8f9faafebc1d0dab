"""Static files and responses on the wire: versioned URLs cached for a year, precompressed
copies that decode to the very same bytes, gzip for pages and JSON above a size, and none for
the small answers a workshop room polls."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for

from assess import ROOT, static_files
from tests.conftest import soup

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def versioned(client, path: str, name: str) -> str:
    """The URL the page links for a static file (with its ?v=digest)."""
    page = soup(client.get(path))
    for tag in page.find_all(["link", "script"]):
        url = tag.get("href") or tag.get("src") or ""
        if urlsplit(url).path == f"/static/{name}":
            return url
    raise AssertionError(f"{name} not linked from {path}")


def test_static_urls_carry_the_digest_of_the_file(client, seeded):
    url = versioned(client, "/login", "css/app.css")
    digest = parse_qs(urlsplit(url).query)["v"][0]
    assert re.fullmatch(r"[0-9a-f]{16}", digest)
    import hashlib

    assert hashlib.sha256((ROOT / "static/css/app.css").read_bytes()).hexdigest().startswith(digest)


def test_a_changed_file_gets_a_new_digest(tmp_path):
    path = tmp_path / "a.css"
    path.write_text("body { color: black; }\n" * 100)
    first = static_files.file_asset(path, tmp_path / "cache")
    path.write_text("body { color: navy; }\n" * 100)
    second = static_files.file_asset(path, tmp_path / "cache")
    assert first.digest != second.digest and second.gz is not None
    assert gzip.decompress(second.gz.read_bytes()) == path.read_bytes()


@pytest.mark.parametrize("name", ["css/app.css", "js/live.js", "js/projector.js"])
def test_versioned_static_files_are_immutable_and_gzipped_to_the_same_bytes(app, client, seeded, name):
    with app.test_request_context():
        url = url_for("static", filename=name)  # as every template links it
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    original = (ROOT / "static" / name).read_bytes()
    assert plain.status_code == packed.status_code == 200
    assert plain.get_data() == original and "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == original
    assert len(packed.get_data()) < len(original) / 2
    for response in (plain, packed):
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "Cookie" not in response.headers["Vary"]  # a sign-in must not refetch it
        cache = response.cache_control
        assert cache.max_age == 365 * 24 * 3600 and cache.immutable and cache.public
        assert not cache.no_cache and not cache.no_store
    assert plain.headers["ETag"] != packed.headers["ETag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_unversioned_or_old_static_urls_are_revalidated(client, seeded):
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789abcdef"):
        response = client.get(url)
        assert response.status_code == 200 and response.cache_control.no_cache
        assert not response.cache_control.immutable


def test_static_paths_outside_the_folder_are_not_served(client, seeded):
    for url in ("/static/../assess/__init__.py", "/static/%2e%2e/pyproject.toml", "/static/nothing.css"):
        assert client.get(url).status_code == 404


def test_plotly_is_served_gzipped_under_its_digest(app, client, seeded):
    from assess.plotly_assets import BUNDLE
    from assess.vendor_assets import plotly_urls

    with app.test_request_context():
        urls = plotly_urls()
    packed = client.get(urls["js"], headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    data = packed.get_data()
    assert len(data) < 1_600_000  # 4.8 MB as it is
    assert gzip.decompress(data) == BUNDLE.read_bytes()
    assert packed.cache_control.immutable and packed.cache_control.max_age == 365 * 24 * 3600
    css = client.get(urls["css"], headers=GZIP)
    assert gzip.decompress(css.get_data()).startswith(b"/* plotly.js base styles")


def test_pages_and_json_are_gzipped_and_decode_to_the_same_bytes(client, seeded):
    plain = client.get("/login")
    packed = client.get("/login", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    # The page carries a fresh CSRF token each time: compare everything but the tokens.
    strip = re.compile(rb'value="[^"]{40,}"')
    assert strip.sub(b"", gzip.decompress(packed.get_data())) == strip.sub(b"", plain.get_data())
    assert "Content-Encoding" not in plain.headers
    refused = client.get("/login", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    api_plain = client.get("/api/content")
    api = client.get("/api/content", headers=GZIP)
    assert api.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(api.get_data()) == api_plain.get_data()


def test_a_phones_small_state_answer_is_not_compressed(app, db, seeded, lead):
    from tests.test_workshop import join, make_round, start

    row = make_round(db, app, seeded)
    start(lead, row["id"])
    phone, link = join(app, row["join_code"])
    first = phone.get(f"{link}/live/state", headers=GZIP)  # with the texts of the slide
    body = first.get_data()
    if first.headers.get("Content-Encoding") == "gzip":  # the texts may make it worth it
        body = gzip.decompress(body)
    have = json.loads(body)["slide"]["id"]
    small = phone.get(f"{link}/live/state?have={have}", headers=GZIP)
    assert len(small.get_data()) < 1400 and "Content-Encoding" not in small.headers


def test_server_start_compresses_everything_and_drops_stale_copies(app):
    from assess import server

    cache = Path(app.instance_path) / static_files.CACHE_FOLDER
    cache.mkdir(parents=True, exist_ok=True)
    stale = cache / "0000000000000000-app.css.gz"
    stale.write_bytes(b"old")
    server.warm(app)
    names = {p.name for p in cache.iterdir()}
    assert stale.name not in names
    assert any(n.endswith("-app.css.gz") for n in names)
    assert any(n.endswith("-plotly.min.js.gz") for n in names)
