"""Memory before sign-in: huge user names neither grow the server nor break its error page."""

from __future__ import annotations

from tests.security.server import Browser, Server, seeded_instance


def test_ten_huge_user_names_leave_memory_flat(tmp_path):
    srv = Server(seeded_instance(tmp_path))
    try:
        attacker = Browser(srv.base)
        for n in range(5):  # warm up: templates, translations
            attacker.post("/login", {"username": f"lämmittely{n}", "password": "x"})
        before = srv.rss_kb()
        for n in range(10):
            status, html = attacker.post("/login", {"username": str(n) * (8 * 1024 * 1024), "password": "x"})
            assert status == 413
            assert "liian suuri" in html.lower()  # the page itself renders, in Finnish
        for n in range(10):  # within the size limit but over the name limit
            status, _ = attacker.post("/login", {"username": str(n) * (400 * 1024), "password": "x"})
            assert status == 400
        grown = srv.rss_kb() - before
        assert grown < 30 * 1024, f"the server grew by {grown} kB"
    finally:
        srv.stop()
