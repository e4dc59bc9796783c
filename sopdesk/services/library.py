"""The company library (SOP 1.5) and the FAQ handbook (appendix 3): list, save, delete.

Materials: intro, video, certificate, test report, case … with a link or path and the day they
stop being valid (certificates, test reports). FAQ answers by topic and language. Both feed the
draft screen's snippet picker (services/knowledge.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pendulum

from sopdesk import clock
from sopdesk.i18n import N_, _
from sopdesk.store.db import database
from sopdesk.store.models import FaqAnswer, Material

LIST_LIMIT = 500
EXPIRING_DAYS = 30

MATERIAL_KINDS = ("intro", "video", "certificate", "test_report", "case", "other")
MATERIAL_KIND_WORDS = {
    "intro": N_("intro"),
    "video": N_("video"),
    "certificate": N_("certificate"),
    "test_report": N_("test report"),
    "case": N_("case"),
    "other": N_("other"),
}
FAQ_TOPICS = ("price", "moq", "lead_time", "quality", "payment", "sample", "certification")
FAQ_TOPIC_WORDS = {
    "price": N_("price"),
    "moq": N_("MOQ"),
    "lead_time": N_("lead time"),
    "quality": N_("quality"),
    "payment": N_("payment"),
    "sample": N_("sample"),
    "certification": N_("certification"),
}


class LibraryError(ValueError):
    """The entry cannot be saved as given; the message says why."""


@dataclass(frozen=True)
class MaterialView:
    material_id: int | None
    kind: str
    title: str
    link: str = ""
    valid_until: date | None = None

    def validity(self, today: date) -> str:
        """ "expired", "expiring" (within EXPIRING_DAYS) or ""."""
        if self.valid_until is None:
            return ""
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= EXPIRING_DAYS:
            return "expiring"
        return ""


@dataclass(frozen=True)
class FaqView:
    faq_id: int | None
    topic: str
    question: str
    answer: str
    language: str = "en"


def _material(row: Material) -> MaterialView:
    return MaterialView(row.id, row.kind, row.title, row.link, row.valid_until)


def _faq(row: FaqAnswer) -> FaqView:
    return FaqView(row.id, row.topic, row.question, row.answer, row.language)


def materials(limit: int = LIST_LIMIT) -> list[MaterialView]:
    with database.connection_context():
        rows = list(Material.select().order_by(Material.kind, Material.id).limit(limit))
    return [_material(r) for r in rows]


def faqs(limit: int = LIST_LIMIT) -> list[FaqView]:
    with database.connection_context():
        rows = list(FaqAnswer.select().order_by(FaqAnswer.topic, FaqAnswer.id).limit(limit))
    return [_faq(r) for r in rows]


def check_material(data: MaterialView) -> MaterialView:
    kind = data.kind.strip().lower().replace(" ", "_")
    if kind not in MATERIAL_KINDS:
        raise LibraryError(_("the kind is one of: {kinds}").format(kinds=", ".join(MATERIAL_KINDS)))
    title = " ".join(data.title.split())[:200]
    if not title:
        raise LibraryError(_("every material needs a title"))
    link = data.link.strip()[:2000]
    if any(ord(c) < 32 for c in link):
        raise LibraryError(_("a link is one line"))
    return MaterialView(data.material_id, kind, title, link, data.valid_until)


def check_faq(data: FaqView) -> FaqView:
    topic = data.topic.strip().lower().replace(" ", "_")
    if topic not in FAQ_TOPICS:
        raise LibraryError(_("the topic is one of: {topics}").format(topics=", ".join(FAQ_TOPICS)))
    question = data.question.strip()[:1000]
    answer = data.answer.strip()[:8000]
    if not question:
        raise LibraryError(_("every FAQ entry needs its question"))
    if not answer:
        raise LibraryError(_("every FAQ entry needs its answer"))
    language = data.language.strip().lower() or "en"
    if len(language) > 8 or not all(c.isalnum() or c in "-_" for c in language):
        raise LibraryError(_("a language is a short code such as en, es, zh"))
    return FaqView(data.faq_id, topic, question, answer, language)


def save_material(data: MaterialView, *, now: pendulum.DateTime | None = None) -> MaterialView:
    """Insert (material_id None) or update; returns what was stored."""
    now = now or clock.now()
    clean = check_material(data)
    values = {
        "kind": clean.kind,
        "title": clean.title,
        "link": clean.link,
        "valid_until": clean.valid_until,
    }
    with database.connection_context(), database.atomic():
        if clean.material_id is None:
            new_id = Material.insert(**values, created_at=now, updated_at=now).execute()
        else:
            changed = (
                Material.update(**values, updated_at=now)
                .where(Material.id == clean.material_id)
                .execute()
            )
            if not changed:
                raise LibraryError(_("that material no longer exists"))
            new_id = clean.material_id
        return _material(Material.get_by_id(new_id))


def save_faq(data: FaqView, *, now: pendulum.DateTime | None = None) -> FaqView:
    now = now or clock.now()
    clean = check_faq(data)
    values = {
        "topic": clean.topic,
        "question": clean.question,
        "answer": clean.answer,
        "language": clean.language,
    }
    with database.connection_context(), database.atomic():
        if clean.faq_id is None:
            new_id = FaqAnswer.insert(**values, created_at=now, updated_at=now).execute()
        else:
            changed = (
                FaqAnswer.update(**values, updated_at=now)
                .where(FaqAnswer.id == clean.faq_id)
                .execute()
            )
            if not changed:
                raise LibraryError(_("that FAQ entry no longer exists"))
            new_id = clean.faq_id
        return _faq(FaqAnswer.get_by_id(new_id))


def delete_material(material_id: int) -> bool:
    with database.connection_context(), database.atomic():
        return bool(Material.delete().where(Material.id == material_id).execute())


def delete_faq(faq_id: int) -> bool:
    with database.connection_context(), database.atomic():
        return bool(FaqAnswer.delete().where(FaqAnswer.id == faq_id).execute())


__all__ = [
    "EXPIRING_DAYS",
    "FAQ_TOPICS",
    "FAQ_TOPIC_WORDS",
    "MATERIAL_KINDS",
    "MATERIAL_KIND_WORDS",
    "FaqView",
    "LibraryError",
    "MaterialView",
    "check_faq",
    "check_material",
    "delete_faq",
    "delete_material",
    "faqs",
    "materials",
    "save_faq",
    "save_material",
]
