"""The password policy (ASVS): long enough, any characters, not a common or guessable one.

No composition rules (a digit, a capital…): they make passwords harder to remember, not to
guess. Instead a password is refused when it is on zxcvbn's list of 30 000 passwords most
common in breaches, or when zxcvbn estimates it falls to fewer than 10^8 guesses (a word, a
keyboard row, a date, the user's own name with digits). Pure: no Flask, no SQL.
"""

from __future__ import annotations

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
_ESTIMATE_LIMIT = 72  # zxcvbn refuses longer input; the first 72 characters tell enough
_MIN_SCORE = 3  # zxcvbn's score 3: at least 10^8 guesses
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])


def problem(password: str, *, context: tuple[str, ...] = ()) -> str | None:
    """Why the password cannot be used: "short", "long" or "guessable"; None when it can.

    context holds words an attacker would try first (user name, name, organisation).
    """
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    if password.lower() in _COMMON:
        return "guessable"
    words = [w for w in (*context, "hankintapolku") if w]
    if zxcvbn(password[:_ESTIMATE_LIMIT], user_inputs=words)["score"] < _MIN_SCORE:
        return "guessable"
    return None
