"""The company library and FAQ handbook service: validation, save/update, bounded lists, delete."""

from __future__ import annotations

from datetime import date

import pytest

from sopdesk.services import knowledge, library
from sopdesk.services.library import FaqView, LibraryError, MaterialView


def test_material_saved_updated_and_deleted(store) -> None:
    saved = library.save_material(
        MaterialView(None, "Test report", "  SGS   report ", "/docs/sgs.pdf", date(2027, 1, 1))
    )
    assert saved.material_id is not None
    assert (saved.kind, saved.title) == ("test_report", "SGS report")
    edited = library.save_material(MaterialView(saved.material_id, "certificate", "CE", ""))
    assert [(m.kind, m.title, m.valid_until) for m in library.materials()] == [
        ("certificate", "CE", None)
    ]
    assert edited.material_id == saved.material_id
    assert library.delete_material(saved.material_id) is True
    assert library.materials() == []
    assert library.delete_material(saved.material_id) is False


@pytest.mark.parametrize(
    ("kind", "title", "link"),
    [("brochure", "x", ""), ("intro", "   ", ""), ("video", "Factory", "a\nb")],
)
def test_material_refused(store, kind: str, title: str, link: str) -> None:
    with pytest.raises(LibraryError):
        library.save_material(MaterialView(None, kind, title, link))
    assert library.materials() == []


def test_update_of_a_deleted_material_is_refused(store) -> None:
    with pytest.raises(LibraryError):
        library.save_material(MaterialView(9999, "intro", "Company intro"))


def test_validity_expired_and_expiring() -> None:
    today = date(2026, 11, 27)
    assert MaterialView(1, "certificate", "CE", "", date(2026, 11, 26)).validity(today) == "expired"
    assert (
        MaterialView(1, "certificate", "CE", "", date(2026, 12, 20)).validity(today) == "expiring"
    )
    assert MaterialView(1, "certificate", "CE", "", date(2027, 6, 1)).validity(today) == ""
    assert MaterialView(1, "intro", "Intro").validity(today) == ""


def test_faq_saved_and_offered_as_snippet(store) -> None:
    saved = library.save_faq(FaqView(None, "Lead time", " How long? ", "25 days.", "EN"))
    assert (saved.topic, saved.question, saved.language) == ("lead_time", "How long?", "en")
    assert [(s.kind, s.title, s.text) for s in knowledge.snippets()] == [
        ("faq", "How long?", "25 days.")
    ]
    library.save_faq(FaqView(saved.faq_id, "moq", "Minimum?", "500 pcs", "es"))
    assert [(f.topic, f.answer, f.language) for f in library.faqs()] == [("moq", "500 pcs", "es")]
    assert saved.faq_id is not None and library.delete_faq(saved.faq_id)
    assert library.faqs() == []


@pytest.mark.parametrize(
    ("topic", "question", "answer", "language"),
    [
        ("shipping", "q", "a", "en"),
        ("price", "", "a", "en"),
        ("price", "q", "  ", "en"),
        ("price", "q", "a", "english language"),
    ],
)
def test_faq_refused(store, topic: str, question: str, answer: str, language: str) -> None:
    with pytest.raises(LibraryError):
        library.save_faq(FaqView(None, topic, question, answer, language))


def test_lists_are_bounded(store) -> None:
    for n in range(5):
        library.save_faq(FaqView(None, "price", f"q{n}", "a"))
    assert len(library.faqs(limit=3)) == 3
