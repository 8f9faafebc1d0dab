"""Every link works: a walk over every page a lead and an administrator reach in the demo
organisation fails on a link (href) or a form (action) that goes nowhere."""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import lxml.html
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.conftest import ADMIN, LEAD, login

# Pages not walked: signing out ends the walk's session; files are not pages.
SKIP_PREFIXES = ("/logout", "/static/", "/vendor/")
MAX_PAGES = 400


def _same_site(url: str) -> str | None:
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel") or (parts.netloc and parts.netloc != "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path.startswith("/") else None


def _walk(app, client, start: str, within: str = "/") -> tuple[set[str], list[str]]:
    """Every page reachable from ``start`` under ``within``; the problems found on the way."""
    adapter = app.url_map.bind("localhost")
    seen, problems = {start}, []
    queue = deque([(start, "(start)")])
    while queue and len(seen) < MAX_PAGES:
        url, found_on = queue.popleft()
        response = client.get(url)
        if response.status_code == 404 or response.status_code >= 500:
            problems.append(f"{url} (linked from {found_on}) answers {response.status_code}")
            continue
        if not response.mimetype == "text/html" or response.status_code != 200:
            continue
        # lxml alone: the walk reads only forms and links, from a few hundred pages.
        page = lxml.html.document_fromstring(response.get_data(as_text=True))
        for form in page.iter("form"):
            method = (form.get("method") or "get").upper()
            target = _same_site(form.get("action") or url)
            if target is None:
                continue
            try:
                adapter.match(urlsplit(target).path, method=method)
            except (NotFound, MethodNotAllowed) as exc:
                problems.append(f"form on {url} goes to {method} {target}: {type(exc).__name__}")
        for link in page.iter("a"):
            if link.get("href") is None:
                continue
            target = _same_site(link.get("href"))
            if (
                target is None
                or target.startswith(SKIP_PREFIXES)
                or not target.startswith(within)
                or target in seen
            ):
                continue
            try:
                adapter.match(urlsplit(target).path, method="GET")
            except (NotFound, MethodNotAllowed) as exc:
                problems.append(f"link on {url} to {target}: {type(exc).__name__}")
                continue
            seen.add(target)
            queue.append((target, url))
    return seen, problems


def test_every_link_and_form_of_a_leads_pages_goes_somewhere(app, client, demo) -> None:
    login(client, LEAD)
    seen, problems = _walk(app, client, f"/orgs/{demo['id']}")
    assert problems == []
    # The walk reached the organisation's journeys, not just its first page.
    for part in ("/plan", "/history", "/rounds", "/exports", "/metrics"):
        assert any(part in url for url in seen), part


def test_every_link_and_form_of_the_administration_goes_somewhere(app, client, demo) -> None:
    login(client, ADMIN)
    seen, problems = _walk(app, client, "/admin/", within="/admin/")
    assert problems == []
    assert len(seen) > 5
