"""Fetching a year's notices from Hilma's open data API, when the installation has a key.

The AVP read API's search endpoint (Hankintailmoitukset/hilma-api README.md, "AVP":
``POST /notices/docs/search``) is Azure Cognitive Search's POST search: the body takes
``search``, ``filter``, ``top``, ``skip``, ``count`` and ``orderby``; the answer is
``{"@odata.count": n, "value": [notice, ...]}``. The key goes in the
``Ocp-Apim-Subscription-Key`` header (the API portal's subscription key). Requests are
rate-limited per key, so pages are fetched no faster than ``min_interval`` apart and a 429
answer waits (Retry-After, bounded) and tries again.

Resumable: after each page the notices so far and the next offset are written to a state
file; a new fetch of the same year picks up from there, and the file is removed when the
year is complete. No Flask here.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

DEFAULT_URL = "https://api.hankintailmoitukset.fi/avp/notices/docs/search"
PAGE_SIZE = 100
MAX_PAGES = 200  # 20,000 notices: more than any organisation publishes in a year
MAX_RETRIES = 5
MAX_WAIT = 60.0
TIMEOUT = 30.0


class FetchError(Exception):
    """The fetch stopped (network, key, server); what was fetched so far is kept."""


def _filter(year: int, business_ids: Sequence[str]) -> str:
    when = f"datePublished ge {year}-01-01T00:00:00Z and datePublished lt {year + 1}-01-01T00:00:00Z"
    ids = [b for b in business_ids if b]
    if not ids:
        return when
    buyers = " or ".join(f"b eq '{b}'" for b in ids)
    return f"{when} and organisationNationalIds/any(b: {buyers})"


def _post(url: str, key: str, body: dict, sleep: Callable[[float], None]) -> dict:
    data = json.dumps(body).encode("utf-8")
    for attempt in range(MAX_RETRIES + 1):
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "Ocp-Apim-Subscription-Key": key},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - configured https URL
                return json.loads(response.read(32 * 1024 * 1024))
        except urllib.error.HTTPError as exc:
            if exc.code == 429 and attempt < MAX_RETRIES:
                retry = exc.headers.get("Retry-After", "")
                sleep(min(float(retry) if retry.replace(".", "", 1).isdigit() else 2.0**attempt, MAX_WAIT))
                continue
            raise FetchError(f"http_{exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise FetchError("unreachable") from exc
        except json.JSONDecodeError as exc:
            raise FetchError("bad_answer") from exc
    raise FetchError("rate_limited")


def fetch_year(
    url: str,
    key: str,
    year: int,
    business_ids: Sequence[str],
    state: Path,
    *,
    min_interval: float = 1.0,
    progress: Callable[[float], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict:
    """The year's notices as a search response ``{"value": [...]}``, resuming from ``state``."""
    saved = json.loads(state.read_text(encoding="utf-8")) if state.exists() else {}
    notices: list = saved.get("value", []) if saved.get("year") == year else []
    skip = len(notices)
    total: int | None = saved.get("total") if notices else None
    last = 0.0
    for _page in range(MAX_PAGES):
        if total is not None and skip >= total:
            break
        wait = min_interval - (time.monotonic() - last)
        if last and wait > 0:
            sleep(wait)
        last = time.monotonic()
        answer = _post(
            url,
            key,
            {
                "search": "*",
                "filter": _filter(year, business_ids),
                "top": PAGE_SIZE,
                "skip": skip,
                "count": True,
                "orderby": "datePublished asc",
            },
            sleep,
        )
        page = answer.get("value")
        if not isinstance(page, list):
            raise FetchError("bad_answer")
        total = int(answer.get("@odata.count", skip + len(page)))
        notices.extend(page)
        skip += len(page)
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps({"year": year, "total": total, "value": notices}), encoding="utf-8")
        if progress and total:
            progress(min(skip / total, 1.0))
        if not page:
            break
    state.unlink(missing_ok=True)
    return {"@odata.count": len(notices), "value": notices}
