"""The text a plan entry made from a suggestion starts with (pure: no Flask, no SQL).

A plan entry is something to do. A roadmap action already reads as one ("We produce
information for management …"); a roadmap goal describes a state ("The organisation has a
procurement strategy …"), so an entry made from it takes the action of the programme goal
the lead linked it to, else the first roadmap action under that goal. The lead edits the
text on the plan page as they like.
"""

from __future__ import annotations

from .content import Content

TEXT_MAX = 500


def suggested_action(content: Content, item_id: str, goal: int | None, lang: str) -> str:
    """The action text for a plan entry made from the roadmap item ``item_id`` (linked to
    programme goal ``goal``, if any), in ``lang``, at most TEXT_MAX characters."""
    item = content.items[item_id]
    text = item.text.get(lang)
    if item.kind == "goal":
        programme = content.goal(goal).actions if goal is not None and content.has_goal(goal) else ()
        roadmap = [i for i in content.items.values() if i.kind == "action" and i.goal == item.id]
        if programme:
            text = programme[0].text.get(lang)
        elif roadmap:
            text = roadmap[0].text.get(lang)
    text = " ".join(text.split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1].rstrip() + "…"
