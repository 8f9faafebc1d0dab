"""Every route of the URL map, sent malformed requests: never a 500, a Finnish error page, and a
refused request changes nothing in the database.

One app serves the whole module (a walk per test would cost minutes). Each route is requested by
whom may use it (a lead of the owning organisation, an administrator for administration, a
respondent for the personal links, anyone for public routes), so that the malformed part reaches
the view instead of stopping at the access check. The forms are found on the pages themselves, as
a browser would: their fields are the ones replaced. What the walk covers: docs/testing.md.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from assess.storage.db import open_db
from tests.conftest import ADMIN, LEAD, login, make_app
from tests.test_route_access import ACCESS, REMOVING, _dump, _values, make_world

# Values that replace an int part of a URL: none of them names an object, so each is a 404.
BAD_IDS = (str(2**63), str(2**64), "-1", "0", "١٢", "²³", "1e3", "0x10")
SENTINEL = 987_654_321

# What replaces a form field's value.
TEXT_VALUES = {
    "100 kB": "x" * 100_000,
    "NUL": "ennen\x00jälkeen",
    "vertical tab": "rivi\x0bvälissä",
    "superscript digits": "²⁰²⁶",
    "Arabic-Indic digits": "٢٠٢٦",
}
# Replaced one field at a time too (the others valid), so that no earlier error hides them.
ONE_BY_ONE = ("NUL", "vertical tab", "superscript digits")
QUERY_KEYS = ("code", "v", "year", "next", "figure", "have", "before", "after", "page", "q")


@dataclass
class Form:
    url: str
    endpoint: str
    actor: str
    fields: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class Walk:
    """The app, its database, the world of test_route_access and a client per actor."""

    def __init__(self, tmp) -> None:
        self.app = make_app(tmp)
        self.db = open_db(self.app.config["DATABASE"])
        self.world = make_world(self.app, self.db)
        # The administration routes name the viewer, so that disabling or deleting a user
        # leaves the walking lead signed in.
        self.world["own"].member = self.world["people"]["viewer"]["id"]
        self._version, self._dump = None, []
        self.clients = {"signed_out": self.app.test_client()}
        for actor, who in (("lead", LEAD), ("admin", ADMIN)):
            self.clients[actor] = self.app.test_client()
            login(self.clients[actor], who)
        own = self.world["own"]
        self.clients["respondent"] = self.app.test_client()
        self.clients["respondent"].get(f"/r/{own.code}/{own.token}")

    def actor(self, endpoint: str) -> str:
        access = ACCESS[endpoint]
        if access.startswith("admin"):
            return "admin"
        if access in ("public", "join_code", "setup_done"):
            return "signed_out"
        if access == "respondent":
            return "respondent"
        return "lead"

    def client(self, actor: str):
        client = self.clients[actor]
        if actor in ("lead", "admin") and client.get("/account").status_code != 200:
            login(client, LEAD if actor == "lead" else ADMIN)  # a walked route signed it out
        return client

    def token(self, actor: str) -> str:
        client = self.clients[actor]
        html = client.get("/login").get_data(as_text=True)
        if "csrf_token" not in html:
            html = client.get("/roadmap").get_data(as_text=True)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def snapshot(self) -> list:
        """The database as a dump, recomputed only when another connection has committed
        since the last one (SQLite's data_version): dumping before every request of the walk
        would cost most of its time."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._version, self._dump = version, _dump(self.db)
        return self._dump

    def rules(self):
        def order(rule):
            removing = rule.endpoint in REMOVING
            return (removing, REMOVING.index(rule.endpoint) if removing else 0, rule.rule)

        return [r for r in sorted(self.app.url_map.iter_rules(), key=order) if r.endpoint != "auth.logout"]

    def url(self, rule) -> str:
        return rule.build(_values(rule, self.world["own"]))[1]


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    walk = Walk(tmp_path_factory.mktemp("malformed"))
    yield walk
    walk.db.conn.close()


class Problems(list):
    def send(self, what: str, client, *args, **kwargs):
        """The response, or None (noted) when the app raised: a 500 outside of tests."""
        try:
            return client.open(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every exception is the finding
            self.append(f"{what}: {type(exc).__name__}: {str(exc)[:200]}")
            return None

    def check(self, walk: Walk, what: str, response, before: list | None) -> None:
        if response is None:
            return
        status = response.status_code
        if status >= 500:
            self.append(f"{what}: {status}")
            return
        body = response.get_data().decode("utf-8", "replace")
        if "Traceback" in body:
            self.append(f"{what}: a traceback in the page")
        if status >= 400 and response.mimetype == "text/html" and body:
            try:
                page = lxml.html.document_fromstring(body)  # thousands of pages: lxml alone
            except lxml.etree.ParserError:
                page = None
            if page is None or page.get("lang") != "fi" or page.find(".//h1") is None:
                self.append(f"{what}: {status} without the Finnish error page")
        if status >= 400 and before is not None and walk.snapshot() != before:
            self.append(f"{what}: refused ({status}) but changed the database")

    def assert_none(self) -> None:
        assert not self, f"{len(self)} problems:\n" + "\n".join(self[:80])


def _bad_id_urls(rule, walk: Walk):
    """The rule's URL with each int part in turn replaced by each bad value."""
    ints = re.findall(r"<int(?:\([^)]*\))?:(\w+)>", rule.rule)
    base = _values(rule, walk.world["own"])
    for name in ints:
        url = rule.build(dict(base, **{name: SENTINEL}))[1]
        for bad in BAD_IDS:
            yield name, bad, url.replace(str(SENTINEL), bad, 1)


def test_every_int_url_part_answers_404_for_values_that_name_nothing(walk):
    problems = Problems()
    checked = 0
    for rule in walk.rules():
        if "<int" not in rule.rule:
            continue
        actor = walk.actor(rule.endpoint)
        client = walk.client(actor)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = {"X-CSRFToken": walk.token(actor)} if method == "POST" else {}
            for name, bad, url in _bad_id_urls(rule, walk):
                before = walk.snapshot()
                what = f"{method} {url} ({rule.endpoint}, {name}={bad!r})"
                response = problems.send(what, client, url, method=method, headers=headers)
                problems.check(walk, what, response, before)
                if response is not None and response.status_code != 404:
                    problems.append(f"{what}: {response.status_code}, expected 404")
                checked += 1
    assert checked > 300
    problems.assert_none()


# --- forms, as found on the pages ------------------------------------------------------------


def _forms(walk: Walk) -> list[Form]:
    """A POST form of every route, as found on the pages the walk can reach."""
    adapter = walk.app.url_map.bind("localhost")
    found: dict[str, Form] = {}
    for rule in walk.rules():
        if "GET" not in rule.methods:
            continue
        actor = walk.actor(rule.endpoint)
        response = walk.client(actor).get(walk.url(rule))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = BeautifulSoup(response.get_data(as_text=True), "lxml")
        for tag in page.find_all("form"):
            if (tag.get("method") or "get").lower() != "post":
                continue
            action = urlsplit(tag.get("action") or walk.url(rule)).path
            try:
                endpoint, _args = adapter.match(action, method="POST")
            except Exception:  # noqa: BLE001 - a form posting elsewhere is no route of ours
                continue
            if endpoint == "auth.logout":
                continue
            if endpoint in found and found[endpoint].url != action:
                continue  # one form per route (the account page has one per session)
            form = found.setdefault(endpoint, Form(action, endpoint, walk.actor(endpoint)))
            for inp in tag.find_all(["input", "select", "textarea"]):
                name = inp.get("name")
                if not name or name == "csrf_token":
                    continue
                if inp.get("type") == "file":
                    form.files.add(name)
                    continue
                value = inp.get("value", "")
                if inp.name == "select":
                    option = inp.find("option", selected=True) or inp.find("option")
                    value = option.get("value", option.get_text()) if option else ""
                elif inp.name == "textarea":
                    value = inp.get_text()
                form.fields.setdefault(name, value)
    # POST routes whose form the walk did not see: sent the usual field names.
    for rule in walk.rules():
        if "POST" in rule.methods and rule.endpoint not in found:
            url = walk.url(rule)
            found[rule.endpoint] = Form(
                url,
                rule.endpoint,
                walk.actor(rule.endpoint),
                {n: "1" for n in ("name", "text", "year", "value", "item", "comment")},
            )
    order = {rule.endpoint: i for i, rule in enumerate(walk.rules())}
    return sorted(found.values(), key=lambda f: order[f.endpoint])


@pytest.fixture(scope="module")
def forms(walk):
    return _forms(walk)


def _variants(form: Form):
    """(what, request keyword arguments) for every malformed post of a form."""
    text = dict(form.fields)
    for label, value in TEXT_VALUES.items():
        yield f"every field {label}", {"data": {k: value for k in text}}
        if label in ONE_BY_ONE:
            for name in text:
                yield f"{name} {label}", {"data": dict(text, **{name: value})}
    yield (
        "a file part in every text field",
        {
            "data": {k: (io.BytesIO(b"x"), "x.txt") for k in text} | {"_": "x"},
            "content_type": "multipart/form-data",
        },
    )
    for name in form.files:
        yield (
            f"text where the file {name} is expected",
            {"data": dict(text, **{name: "tekstiä"}), "content_type": "multipart/form-data"},
        )
    yield (
        "every field twice",
        {"data": MultiDict([(k, v) for k, v in text.items()] + [(k, "toinen²") for k in text])},
    )
    yield "no fields", {"data": {}}
    # Bytes that are no UTF-8, a lone surrogate's encoding (ED A0 80) among them.
    yield (
        "invalid UTF-8",
        {
            "data": "&".join(f"{k}=%ff%fe%ed%a0%80" for k in text).encode() + b"&x=\xff\xfe",
            "content_type": "application/x-www-form-urlencoded",
        },
    )
    yield "JSON body", {"data": '{"a": 1}', "content_type": "application/json"}
    yield (
        "JSON with the form's fields",
        {"data": json.dumps({k: [{"x": 1}] for k in text}), "content_type": "application/json"},
    )
    yield "JSON array", {"data": "[1, 2]", "content_type": "application/json"}
    yield "deep JSON", {"data": "[" * 50_000 + "]" * 50_000, "content_type": "application/json"}
    yield "JSON invalid UTF-8", {"data": b'{"item": "\xff\xfe"}', "content_type": "application/json"}
    yield "text/plain", {"data": "a=b", "content_type": "text/plain"}
    yield "multipart without boundary", {"data": b"--x\r\n", "content_type": "multipart/form-data"}
    # Over the limits: the server refuses on the announced length, before reading the body.
    yield (
        "a form over the size limit",
        {"data": {"text": "x"}, "environ_overrides": {"CONTENT_LENGTH": str(2 * 1024 * 1024)}},
    )
    yield (
        "an upload over the size limit",
        {
            "data": {"file": (io.BytesIO(b"x"), "iso.json")},
            "content_type": "multipart/form-data",
            "environ_overrides": {"CONTENT_LENGTH": str(17 * 1024 * 1024)},
        },
    )


@pytest.mark.long
def test_every_form_refuses_malformed_posts_without_a_500(walk, forms):
    assert len(forms) > 40
    problems = Problems()
    for form in forms:
        client = walk.client(form.actor)
        headers = {"X-CSRFToken": walk.token(form.actor)}
        for what, kwargs in _variants(form):
            before = walk.snapshot()
            what = f"POST {form.url} ({form.endpoint}): {what}"
            response = problems.send(what, client, form.url, method="POST", headers=headers, **kwargs)
            problems.check(walk, what, response, before)
            if (
                response is not None
                and response.status_code in (302, 303)
                and "/login" in response.headers["Location"]
            ):
                client = walk.client(form.actor)
                headers = {"X-CSRFToken": walk.token(form.actor)}
    problems.assert_none()


# --- query strings, methods, headers, cookies --------------------------------------------------


def _get_rules(walk: Walk):
    return [r for r in walk.rules() if "GET" in r.methods and r.endpoint not in REMOVING]


QUERIES = (
    ("huge values", "&".join(f"{k}={'9' * 20_000}" for k in QUERY_KEYS)),
    ("NUL", "&".join(f"{k}=a%00b" for k in QUERY_KEYS)),
    ("repeated keys", "&".join(f"{k}=1&{k}=2&{k}=%C2%B2" for k in QUERY_KEYS)),
    ("invalid UTF-8", "&".join(f"{k}=%ff%fe" for k in QUERY_KEYS)),
    ("superscript digits", "&".join(f"{k}=%C2%B2%E2%81%B0" for k in QUERY_KEYS)),
)


def test_every_page_survives_malformed_query_strings(walk):
    problems = Problems()
    for rule in _get_rules(walk):
        client = walk.client(walk.actor(rule.endpoint))
        for label, query in QUERIES:
            url = f"{walk.url(rule)}?{query}"
            before = walk.snapshot()
            what = f"GET {rule.rule} ({label})"
            problems.check(walk, what, problems.send(what, client, url), before)
    problems.assert_none()


def test_head_and_options_on_every_route(walk):
    problems = Problems()
    for rule in walk.rules():
        client = walk.client(walk.actor(rule.endpoint))
        for method in ("HEAD", "OPTIONS"):
            before = walk.snapshot()
            what = f"{method} {rule.rule}"
            problems.check(walk, what, problems.send(what, client, walk.url(rule), method=method), before)
    problems.assert_none()


GARBAGE_HOSTS = ("\x00\x01garbage", "ääkköset.example", "a" * 5000, "[::1", "host:port:x", "")
GARBAGE_COOKIES = (
    "session=" + "sid=" + "x" * 10_000,
    "session=sid=ääkkösiä",
    "session=.eJx\x00garbage",
    "lang=ääää; session=" + "%ff" * 100,
)


def test_garbage_host_headers_and_cookies_are_no_500(walk):
    problems = Problems()
    for rule in _get_rules(walk):
        url = walk.url(rule)
        for host in GARBAGE_HOSTS:
            what = f"GET {rule.rule} Host {host[:20]!r}"
            response = problems.send(what, walk.app.test_client(), url, environ_overrides={"HTTP_HOST": host})
            problems.check(walk, what, response, None)
        for cookie in GARBAGE_COOKIES:
            what = f"GET {rule.rule} Cookie {cookie[:30]!r}"
            response = problems.send(what, walk.app.test_client(), url, headers={"Cookie": cookie})
            problems.check(walk, what, response, None)
    problems.assert_none()
