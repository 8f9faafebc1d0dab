"""The password policy: length, no composition rules, common and guessable ones refused."""

from __future__ import annotations

import pytest

from assess.passwords import problem


@pytest.mark.parametrize(
    "password, expected",
    [
        ("1234567890", "short"),
        ("lyhyt-sana1", "short"),
        ("123456789012", "guessable"),
        ("passwordpassword", "guessable"),
        ("qwertyuiop12", "guessable"),
        ("aaaaaaaaaaaa", "guessable"),
        ("x" * 129, "long"),
        ("kissa koira auto", None),  # spaces and only small letters are fine
        ("pitkä-salasana-1", None),  # any characters, also ä
        ("€" * 3 + "kuusi-kettua-kaivaa", None),
    ],
)
def test_policy(password, expected):
    assert problem(password) == expected


def test_the_users_own_name_does_not_make_a_password():
    assert problem("liisavirtanen1", context=("liisavirtanen",)) == "guessable"
