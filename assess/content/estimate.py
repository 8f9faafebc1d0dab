"""How long a questionnaire takes to answer, worked out from its content (pure).

One estimate for every page that describes a questionnaire (the start forms, the overview's
next steps), so the same questionnaire never takes "5 min" on one page and "8 min" on another.
"""

from __future__ import annotations

import math

from .model import Questionnaire

SECONDS_PER_ITEM = 20
"""About how long one statement takes to read and answer on the 0–4 scale."""


def answer_minutes(questionnaire: Questionnaire) -> int:
    """Whole minutes, rounded up, to answer every statement of the questionnaire (at least 1)."""
    return max(1, math.ceil(len(questionnaire.items) * SECONDS_PER_ITEM / 60))
