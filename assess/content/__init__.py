"""Roadmap, programme, links and questionnaires: loaded from questionnaires/, validated, versioned."""

from .document import content_version, from_document, to_document
from .loader import load_content
from .model import Content, Item, Questionnaire, Text
from .reader import ContentError

__all__ = [
    "Content",
    "ContentError",
    "Item",
    "Questionnaire",
    "Text",
    "content_version",
    "from_document",
    "load_content",
    "to_document",
]
