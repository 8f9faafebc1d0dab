"""The glossary (questionnaires/glossary.yaml): one word per concept, in both languages.

Each term has its Finnish and English word, a definition, and the synonyms the tool must not
use for it. A synonym is matched at the start of a word, so one entry covers its inflected
forms ("fasilitaattori" also forbids "fasilitaattoria").
"""

from __future__ import annotations

import re

from .model import LANGUAGES, Term
from .reader import Node

_ID = re.compile(r"^[a-z0-9äö]+(-[a-z0-9äö]+)*$")


def read_glossary(root: Node) -> tuple[Term, ...]:
    root.unknown_keys({"version", "terms"})
    terms: list[Term] = []
    words: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    terms_node = root.get("terms", list)
    for tn in terms_node.children() if terms_node else []:
        if not tn.is_a(dict):
            continue
        tn.unknown_keys({"id", "term", "definition", "avoid"})
        term_id, term, definition = tn.string("id"), tn.text("term"), tn.text("definition")
        if term_id is not None and not _ID.match(term_id):
            tn.fail(f'the id "{term_id}" may hold only a-z, ä, ö, 0-9 and single hyphens')
        if term_id is not None and any(t.id == term_id for t in terms):
            tn.fail(f'the term id "{term_id}" is used twice; give each term its own id')
        avoid = _avoid(tn)
        if term is not None:
            for lang in LANGUAGES:
                key = term.get(lang).casefold()
                if key in words[lang]:
                    tn.fail(
                        f'the term "{term.get(lang)}" ({lang}) is also the term of '
                        f'"{words[lang][key]}"; one word means one concept'
                    )
                words[lang][key] = term_id or "?"
        if term_id and term and definition and avoid is not None:
            terms.append(Term(term_id, term, definition, avoid["fi"], avoid["en"]))
    # A synonym that is itself a term of the glossary would forbid the word for that concept.
    for entry in terms:
        for lang in LANGUAGES:
            for word in entry.avoid(lang):
                owner = words[lang].get(word.casefold())
                if owner is not None:
                    Node(root.problems, root.file, None, f"terms ({entry.id}).avoid.{lang}").fail(
                        f'"{word}" is the glossary term of "{owner}"; it cannot be avoided'
                    )
    if terms_node is not None and not terms_node.value:
        terms_node.fail("the glossary has no terms; add them")
    return tuple(terms)


def _avoid(tn: Node) -> dict[str, tuple[str, ...]] | None:
    node = tn.get("avoid", dict, required=False)
    found: dict[str, tuple[str, ...]] = {lang: () for lang in LANGUAGES}
    if node is None:
        return found
    node.unknown_keys(set(LANGUAGES))
    ok = True
    for lang in LANGUAGES:
        words = node.get(lang, list, required=False)
        if words is None:
            continue
        for wn in words.children():
            if not isinstance(wn.value, str) or not wn.value.strip():
                wn.fail("each synonym to avoid is a non-empty text")
                ok = False
        if ok:
            found[lang] = tuple(w.strip() for w in words.value)
    return found if ok else None


def forbidden(terms: tuple[Term, ...], lang: str, text: str) -> list[tuple[str, str]]:
    """(term, synonym) for each avoided synonym that text uses, matched at a word's start."""
    hits = []
    for term in terms:
        for word in term.avoid(lang):
            if re.search(rf"(?<![\w-]){re.escape(word.removesuffix('-'))}", text, re.IGNORECASE):
                hits.append((term.term.get(lang), word))
    return hits


def shown(term: Term, lang: str) -> list[str]:
    """The synonyms to avoid as a reader sees them: whole words, not matching stems."""
    return [w for w in term.avoid(lang) if not w.endswith("-")]
