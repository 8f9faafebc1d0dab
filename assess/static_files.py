"""Static files as the app serves them: versioned URLs, precompressed copies, long caching.

Every url_for('static', ...) gets ?v=<digest of the file's content>. A request with the
current digest is cached by browsers for a year without asking again (immutable); a change of
the file changes its URL. The same applies to files the app serves from elsewhere (plotly.js,
views/vendor.py). A file worth compressing is gzipped once, at level 9, into
instance/compressed/ and sent as it is to every client that takes gzip (Content-Encoding:
gzip, Vary: Accept-Encoding); others get the plain file.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, send_file, session
from werkzeug.security import safe_join

from .compression import COMPRESSIBLE, MIN_SIZE, accepts_gzip, gzip_bytes

YEAR = 365 * 24 * 3600
CACHE_FOLDER = "compressed"
MAX_KNOWN = 1000


@dataclass(frozen=True)
class Asset:
    """One servable file: the plain copy, its gzip copy (None when not worth it), its digest."""

    path: Path
    gz: Path | None
    digest: str
    mimetype: str


_assets: dict[tuple[str, int, int, str], Asset] = {}
_lock = threading.Lock()


def _mimetype(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _write_once(path: Path, data: bytes) -> None:
    """Write a cache file whole (another process may be writing the same one)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temp.write_bytes(data)
    os.replace(temp, path)


def _build(path: Path, data: bytes, cache: Path, mimetype: str) -> Asset:
    digest = hashlib.sha256(data).hexdigest()[:16]
    gz = None
    if mimetype in COMPRESSIBLE and len(data) >= MIN_SIZE:
        # A file the app made itself already lives in the cache under its digest.
        gz = cache / (f"{path.name}.gz" if path.parent == cache else f"{digest}-{path.name}.gz")
        if not gz.exists():
            packed = gzip_bytes(data)
            if len(packed) > len(data) * 0.9:
                return Asset(path, None, digest, mimetype)
            _write_once(gz, packed)
    return Asset(path, gz, digest, mimetype)


def file_asset(path: Path, cache: Path) -> Asset:
    """The asset of a file on disk; recomputed only when the file changes (size or time)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, str(cache))
    asset = _assets.get(key)
    if asset is None:
        asset = _build(path, path.read_bytes(), cache, _mimetype(path.name))
        with _lock:
            if len(_assets) >= MAX_KNOWN:  # files edited again and again while developing
                _assets.clear()
            _assets[key] = asset
    return asset


def prune(cache: Path, keep: set[Path]) -> None:
    """Delete the cache's copies of files that have changed since (the folder stays small)."""
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.is_file() and entry not in keep:
            entry.unlink(missing_ok=True)


def known(cache: Path) -> set[Path]:
    """The cache files of the assets this process knows now."""
    return {p for a in _assets.values() for p in (a.path, a.gz) if p is not None and p.parent == cache}


def bytes_asset(name: str, data: bytes, cache: Path) -> Asset:
    """The asset of content the app makes itself (written to the cache folder once)."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    plain = cache / f"{digest}-{name}"
    _write_once(plain, data)
    return file_asset(plain, cache)


def cache_folder() -> Path:
    return Path(current_app.instance_path) / CACHE_FOLDER


def send(asset: Asset) -> Response:
    """The asset for this request: gzip when taken, cached for a year when the URL's ?v= is
    the current digest, else revalidated (ETag) on every use."""
    gz = asset.gz if asset.gz is not None and accepts_gzip(request) else None
    packed = gz is not None
    response = send_file(
        gz if gz is not None else asset.path,
        mimetype=asset.mimetype,
        conditional=True,
        etag=asset.digest + ("-gz" if packed else ""),
        max_age=None,
    )
    response.headers.pop("Content-Disposition", None)  # would name the cache file
    if packed:
        response.headers["Content-Encoding"] = "gzip"
    if asset.gz is not None:
        response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    if request.args.get("v") == asset.digest:
        response.cache_control.no_cache = None
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    # The file is the same whoever asks: the sign-in check that read the session before this
    # view must not add "Vary: Cookie", which would make browsers fetch it again after a sign-in.
    session.accessed = False
    return response


def _static_asset(filename: str) -> Asset | None:
    folder = current_app.config["STATIC_DIR"]
    joined = safe_join(folder, filename)
    if joined is None or not os.path.isfile(joined):
        return None
    return file_asset(Path(joined), cache_folder())


def serve_static(filename: str) -> Response:
    asset = _static_asset(filename)
    if asset is None:
        abort(404)
    return send(asset)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        asset = _static_asset(values["filename"])
        if asset is not None:
            values["v"] = asset.digest


def init_app(app: Flask, folder: Path) -> None:
    """Serve `folder` at /static/ (the endpoint url_for('static') names), versioned."""
    app.config["STATIC_DIR"] = str(folder)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)
    app.url_defaults(_add_version)
