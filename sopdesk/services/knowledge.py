"""Snippets a rep drops into a draft: FAQ answers (appendix 3) and company materials (SOP 1.5)."""

from __future__ import annotations

from dataclasses import dataclass

from sopdesk.store.db import database
from sopdesk.store.models import FaqAnswer, Material

SNIPPET_LIMIT = 200


@dataclass(frozen=True)
class Snippet:
    kind: str
    """"faq" or "material"."""
    topic: str
    """FAQ topic (price, moq, lead_time …) or material kind (certificate, video …)."""
    title: str
    text: str
    """What goes into the draft."""


def snippets(limit: int = SNIPPET_LIMIT) -> list[Snippet]:
    """Every FAQ answer and material, FAQ first; bounded (the library is small by nature)."""
    with database.connection_context():
        faqs = list(FaqAnswer.select().order_by(FaqAnswer.topic, FaqAnswer.id).limit(limit))
        materials = list(Material.select().order_by(Material.kind, Material.id).limit(limit))
    found = [Snippet("faq", faq.topic, faq.question, faq.answer.strip()) for faq in faqs]
    for material in materials:
        valid = f" (valid until {material.valid_until.isoformat()})" if material.valid_until else ""
        link = f": {material.link}" if material.link else ""
        found.append(
            Snippet("material", material.kind, material.title, f"{material.title}{valid}{link}")
        )
    return found[:limit]
