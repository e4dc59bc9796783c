"""Buying signals (SOP stage 4.1) in inbound messages, in any of the playbook's languages.

The customer bargains, asks about payment terms or delivery, asks for samples, a factory audit or
a video call, or discusses contract terms. Phrases come from the playbook; matching works on words
(case, accents and Arabic diacritics ignored; a trailing `*` matches any ending), so "sample" is
not found in "for example". A phrase does not count when a negation word stands before it in the
same clause ("we are not ready for samples") or a negating phrase follows it ("samples are not
needed yet"). Quoted earlier mails (lines starting with ">", "On … wrote:") are not scanned: they
usually quote our own words back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from sopdesk.i18n import N_


class BuyingSignal(StrEnum):
    BARGAINING = "bargaining"
    PAYMENT_TERMS = "payment_terms"
    DELIVERY = "delivery"
    SAMPLE_REQUEST = "sample_request"
    FACTORY_AUDIT = "factory_audit"
    CONTRACT_TERMS = "contract_terms"


SIGNAL_LABELS: dict[BuyingSignal, str] = {
    BuyingSignal.BARGAINING: N_("bargains over price"),
    BuyingSignal.PAYMENT_TERMS: N_("asks about payment terms"),
    BuyingSignal.DELIVERY: N_("asks about delivery or lead time"),
    BuyingSignal.SAMPLE_REQUEST: N_("asks for samples"),
    BuyingSignal.FACTORY_AUDIT: N_("asks for a factory audit or video call"),
    BuyingSignal.CONTRACT_TERMS: N_("discusses contract terms"),
}
"""English source strings; translate with `_()` when shown."""

SCAN_LIMIT = 20_000
"""Characters of one message that are scanned: signals sit in what the buyer just wrote."""

_MARKS = "\u0300-\u036f\u0640\u064b-\u065f\u0670"
_WORD = rf"[^\W_](?:[^\W_]|[{_MARKS}])*"
_TOKEN = re.compile(rf"{_WORD}(?:['’]{_WORD})*")
_CLAUSE_PUNCTUATION = re.compile(r"[.!?;:,()\[\]\n\r\u060c\u061b\u061f\u3002\uff0c\uff1f\uff01]")
_ELISIONS = frozenset({"l", "d", "n", "j", "s", "c", "m", "t", "qu", "jusqu", "lorsqu", "puisqu"})
_ARABIC_PROCLITICS = "وفبلك"
_ARABIC_FOLD = str.maketrans({"ة": "ه", "ى": "ي"})
_QUOTE_CUT = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|mensaje original|message d'origine|mensagem original|"
    r"исходное сообщение)"
    r"|on\b.{0,200}\bwrote:|el\b.{0,200}\bescribió:|le\b.{0,200}\ba écrit\s*:"
    r"|em\b.{0,200}\bescreveu:|.{0,200}\bнаписал[аи]?:)\s*$",
    re.IGNORECASE,
)


def normalise(word: str) -> str:
    """Casefolded, accents and Arabic diacritics dropped, Arabic letter forms folded."""
    text = unicodedata.normalize("NFKD", word.replace("’", "'").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and ch != "\u0640")
    return text.translate(_ARABIC_FOLD)


@dataclass(frozen=True)
class _Token:
    norm: str
    start: int
    end: int
    clause: int
    """Tokens in the same clause share this number (punctuation and "but" words split clauses)."""


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0600" <= word[0] <= "\u06ff"


def _split_elision(word: str, start: int) -> list[tuple[str, int, int]]:
    norm = normalise(word)
    head, sep, rest = norm.partition("'")
    if sep and rest and head in _ELISIONS:
        cut = start + len(word.split("'", 1)[0].split("’", 1)[0]) + 1
        return [(head + "'", start, cut), (rest, cut, start + len(word))]
    return [(norm, start, start + len(word))]


def tokens(text: str, breaks: frozenset[str] = frozenset()) -> list[_Token]:
    """Words with their character spans in `text` and their clause number."""
    out: list[_Token] = []
    clause = 0
    last_end = 0
    for match in _TOKEN.finditer(text):
        if _CLAUSE_PUNCTUATION.search(text, last_end, match.start()):
            clause += 1
        last_end = match.end()
        for norm, start, end in _split_elision(match.group(), match.start()):
            if norm in breaks:
                clause += 1
                continue
            out.append(_Token(norm, start, end, clause))
    return out


def strip_quoted(text: str) -> str:
    """What the buyer wrote now: quoted lines and everything after "On … wrote:" dropped."""
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_CUT.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept)


@dataclass(frozen=True)
class _Pattern:
    words: tuple[tuple[str, bool], ...]
    """Each word and whether it is a prefix (written with a trailing `*`)."""
    signal: BuyingSignal | None
    phrase: str
    language: str


def compile_phrase(
    phrase: str, signal: BuyingSignal | None = None, language: str = ""
) -> _Pattern | None:
    """A phrase as the word pattern the detector matches; None when it has no words."""
    words = tuple((t.norm, phrase[t.end : t.end + 1] == "*") for t in tokens(phrase))
    if not words:
        return None
    return _Pattern(words, signal, phrase, language)


def _word_matches(pattern: tuple[str, bool], norm: str) -> bool:
    word, prefix = pattern
    if norm == word or (prefix and norm.startswith(word)):
        return True
    if _is_arabic(norm) and len(norm) > 3 and norm[0] in _ARABIC_PROCLITICS:
        rest = norm[1:]
        return rest == word or (prefix and rest.startswith(word))
    return False


def _matches_at(pattern: _Pattern, toks: list[_Token], i: int) -> bool:
    """The pattern's words stand at `i`, in one clause."""
    if i + len(pattern.words) > len(toks):
        return False
    clause = toks[i].clause
    for offset, word in enumerate(pattern.words):
        tok = toks[i + offset]
        if tok.clause != clause or not _word_matches(word, tok.norm):
            return False
    return True


def _occurs_in(pattern: _Pattern, window: list[_Token]) -> bool:
    return any(_matches_at(pattern, window, i) for i in range(len(window)))


@dataclass(frozen=True)
class SignalRules:
    """What the detector looks for: the playbook's phrase lists and negation cues."""

    phrases: Mapping[BuyingSignal, Mapping[str, tuple[str, ...]]]
    """Per signal, per language code, the phrases."""
    negation_before: tuple[str, ...] = ()
    negation_after: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    """Words that start a new clause ("but", "pero", "но" …)."""
    window: int = 4
    """How many words before/after a phrase are searched for a negation."""

    @cached_property
    def _compiled(self) -> tuple[dict[str, list[_Pattern]], list[_Pattern]]:
        by_first: dict[str, list[_Pattern]] = {}
        prefixed: list[_Pattern] = []
        for signal, languages in self.phrases.items():
            for language, phrases in languages.items():
                for phrase in phrases:
                    pattern = compile_phrase(phrase, signal, language)
                    if pattern is None:
                        continue
                    first, is_prefix = pattern.words[0]
                    if is_prefix:
                        prefixed.append(pattern)
                    else:
                        by_first.setdefault(first, []).append(pattern)
        return by_first, prefixed

    @cached_property
    def _negations(self) -> tuple[list[_Pattern], list[_Pattern]]:
        before = [p for p in (compile_phrase(c) for c in self.negation_before) if p]
        after = [p for p in (compile_phrase(c) for c in self.negation_after) if p]
        return before, after

    @cached_property
    def _breaks(self) -> frozenset[str]:
        return frozenset(normalise(word) for word in self.breaks)


@dataclass(frozen=True)
class SignalHit:
    signal: BuyingSignal
    phrase: str
    """The playbook phrase that matched."""
    language: str
    start: int
    end: int
    """Where in the scanned text (after quoted parts were dropped) the words stand."""
    matched: str
    """The words as the customer wrote them."""


def _candidates(rules: SignalRules, norm: str) -> Iterable[_Pattern]:
    by_first, prefixed = rules._compiled
    yield from by_first.get(norm, ())
    if _is_arabic(norm) and len(norm) > 3 and norm[0] in _ARABIC_PROCLITICS:
        yield from by_first.get(norm[1:], ())
    for pattern in prefixed:
        if _word_matches(pattern.words[0], norm):
            yield pattern


def _negated(rules: SignalRules, toks: list[_Token], start: int, end: int) -> bool:
    before, after = rules._negations
    clause = toks[start].clause
    lo = max(0, start - rules.window)
    window_before = [t for t in toks[lo:start] if t.clause == clause]
    if any(_occurs_in(p, window_before) for p in before):
        return True
    last_clause = toks[end - 1].clause
    window_after = [t for t in toks[end : end + rules.window] if t.clause == last_clause]
    return any(_occurs_in(p, window_after) for p in after)


def detect(text: str | None, rules: SignalRules) -> tuple[SignalHit, ...]:
    """Every buying signal in `text` that is not negated, in reading order.

    Where phrases overlap, the longest wins; a signal found twice is reported twice.
    """
    if not text:
        return ()
    scanned = strip_quoted(text[:SCAN_LIMIT])
    toks = tokens(scanned, rules._breaks)
    hits: list[SignalHit] = []
    covered_until = -1
    for i, tok in enumerate(toks):
        best: _Pattern | None = None
        for pattern in _candidates(rules, tok.norm):
            if _matches_at(pattern, toks, i) and (
                best is None or len(pattern.words) > len(best.words)
            ):
                best = pattern
        if best is None or best.signal is None:
            continue
        end = i + len(best.words)
        if tok.start < covered_until:
            continue
        if _negated(rules, toks, i, end):
            continue
        covered_until = toks[end - 1].end
        start_char, end_char = tok.start, toks[end - 1].end
        hits.append(
            SignalHit(
                signal=best.signal,
                phrase=best.phrase,
                language=best.language,
                start=start_char,
                end=end_char,
                matched=scanned[start_char:end_char],
            )
        )
    return tuple(hits)


def signals_in(text: str | None, rules: SignalRules) -> frozenset[BuyingSignal]:
    return frozenset(hit.signal for hit in detect(text, rules))


def strongest(hits: Iterable[SignalHit]) -> SignalHit | None:
    """The hit to lead with: the closer to a deal, the stronger — contract terms, payment,
    samples, a factory audit, price, then delivery questions (often asked early)."""
    order = {
        BuyingSignal.CONTRACT_TERMS: 0,
        BuyingSignal.PAYMENT_TERMS: 1,
        BuyingSignal.SAMPLE_REQUEST: 2,
        BuyingSignal.FACTORY_AUDIT: 3,
        BuyingSignal.BARGAINING: 4,
        BuyingSignal.DELIVERY: 5,
    }
    ranked = sorted(hits, key=lambda hit: (order[hit.signal], hit.start))
    return ranked[0] if ranked else None
