"""Compressed responses: gzip for pages and JSON above a size where it pays, and the test of
whether a client takes gzip. Static files are compressed once, ahead of time (static_files).

Compressing pages that carry a secret next to text an attacker can choose opens the door to
BREACH-style guessing. Here the secrets are the CSRF token and personal links, and the
session cookie is SameSite=Lax: a page requested by another site's script carries no session,
so it holds no token worth guessing, which is what that attack needs.
"""

from __future__ import annotations

import gzip

from flask import Flask, Request, Response, request

# Below this a response fits in one or two packets anyway, and gzip's header and CPU would
# cost more than they save (a workshop phone's state poll is well under it).
MIN_SIZE = 1400
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/plain",
        "text/csv",
    }
)
# Level 6: nearly the size of 9 at a third of the CPU, for responses made per request.
DYNAMIC_LEVEL = 6


def accepts_gzip(req: Request) -> bool:
    """Does the client take gzip (Accept-Encoding: gzip, with a quality above zero)?"""
    return (
        req.accept_encodings["gzip"] > 0
        or req.accept_encodings["*"] > 0
        and "gzip" not in req.accept_encodings
    )


def gzip_bytes(data: bytes, level: int = 9) -> bytes:
    """gzip with no timestamp, so the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def compress_response(response: Response) -> Response:
    """gzip a page or a JSON answer in place when the client takes it and it pays."""
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
    ):
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.vary.add("Accept-Encoding")
    if not accepts_gzip(request):
        return response
    response.set_data(gzip_bytes(data, DYNAMIC_LEVEL))
    response.headers["Content-Encoding"] = "gzip"
    if response.headers.get("ETag"):  # another encoding of the same body is another entity
        response.headers["ETag"] = response.headers["ETag"].rstrip('"') + '-gz"'
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress_response)
