"""Buying signals (SOP 4.1) in realistic buyer messages, in six languages — and the look-alikes
that must not fire: negations ("not ready for samples"), words inside words ("for example"),
quoted mails that repeat our own terms, and words that only look like a signal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk.sop import signals
from sopdesk.sop.playbook import shipped
from sopdesk.sop.signals import BuyingSignal as S

RULES = shipped().signals.rules


def found(text: str) -> set[S]:
    return set(signals.signals_in(text, RULES))


POSITIVE: list[tuple[str, str, set[S]]] = [
    (
        "en",
        "Hi Lily, thanks for the PI. Your price is higher than our current supplier. If we take "
        "2000 pcs, can you give us a better price? Also what is the lead time?",
        {S.BARGAINING, S.DELIVERY},
    ),
    (
        "en",
        "Can we pay 30% deposit by T/T and the balance against copy of B/L? Or do you accept L/C "
        "at sight?",
        {S.PAYMENT_TERMS},
    ),
    ("en", "Please send a sample first, we will pay the DHL cost.", {S.SAMPLE_REQUEST}),
    (
        "en",
        "Before we confirm, our QC manager would like a video call to see the production line.",
        {S.FACTORY_AUDIT},
    ),
    (
        "en",
        "We reviewed the sales contract. Please change the penalty clause for late delivery.",
        {S.CONTRACT_TERMS},
    ),
    (
        "es",
        "Hola, el precio es muy caro para nosotros. ¿Nos puede hacer un descuento si compramos "
        "500 unidades? ¿Y cuál es el plazo de entrega a Valencia?",
        {S.BARGAINING, S.DELIVERY},
    ),
    (
        "es",
        "¿Cuáles son sus condiciones de pago? ¿Pueden enviarnos una muestra?",
        {S.PAYMENT_TERMS, S.SAMPLE_REQUEST},
    ),
    ("es", "Queremos hacer una videollamada para ver la fábrica.", {S.FACTORY_AUDIT}),
    (
        "pt",
        "Bom dia! Qual é o melhor preço para 1000 peças? E o prazo de entrega para Santos?",
        {S.BARGAINING, S.DELIVERY},
    ),
    (
        "pt",
        "Precisamos de amostras antes do pedido. Quais são as formas de pagamento?",
        {S.SAMPLE_REQUEST, S.PAYMENT_TERMS},
    ),
    ("pt", "Podemos assinar o contrato na próxima semana?", {S.CONTRACT_TERMS}),
    (
        "fr",
        "Bonjour, votre prix est trop cher. Pouvez-vous faire une remise pour 300 pièces ?",
        {S.BARGAINING},
    ),
    (
        "fr",
        "Pourriez-vous nous envoyer un échantillon ? Quel est le délai de livraison ?",
        {S.SAMPLE_REQUEST, S.DELIVERY},
    ),
    ("fr", "Nous souhaitons faire un audit d'usine avant la commande.", {S.FACTORY_AUDIT}),
    (
        "fr",
        "Quelles sont vos conditions de paiement ? Un acompte de 30 % nous convient.",
        {S.PAYMENT_TERMS},
    ),
    (
        "ru",
        "Добрый день! Можете дать скидку при заказе 500 штук? Какие условия оплаты?",
        {S.BARGAINING, S.PAYMENT_TERMS},
    ),
    (
        "ru",
        "Пришлите, пожалуйста, образцы. Какие сроки поставки в Москву?",
        {S.SAMPLE_REQUEST, S.DELIVERY},
    ),
    ("ru", "Мы готовы подписать контракт, пришлите проект договора.", {S.CONTRACT_TERMS}),
    ("ru", "Можно организовать видеозвонок с фабрики?", {S.FACTORY_AUDIT}),
    (
        "ar",
        "مرحبا، السعر مرتفع بالنسبة لنا. هل يمكنكم تقديم خصم على 1000 قطعة؟",
        {S.BARGAINING},
    ),
    ("ar", "هل يمكنكم إرسال عينة؟ وما هي شروط الدفع؟", {S.SAMPLE_REQUEST, S.PAYMENT_TERMS}),
    ("ar", "نريد زيارة المصنع قبل توقيع العقد", {S.FACTORY_AUDIT, S.CONTRACT_TERMS}),
    ("ar", "كم مدة التسليم إلى جدة؟", {S.DELIVERY}),
]


@pytest.mark.parametrize(("language", "text", "expected"), POSITIVE)
def test_realistic_messages_show_their_signals(language: str, text: str, expected: set[S]) -> None:
    assert found(text) == expected


LOOK_ALIKES: list[tuple[str, str]] = [
    ("en", "No price needed yet, just send the catalogue please."),
    ("en", "We are not ready for samples yet."),
    ("en", "Samples are not needed at this stage, thank you."),
    ("en", "For example, the last supplier used a 3-layer carton."),
    ("en", "We don't need a video call, the photos are enough."),
    ("en", "Please find our company profile attached. We are a trading company in Lagos."),
    ("en", "How long is the cable on the 150W model?"),
    ("es", "Por ejemplo, el modelo anterior tenía 4000K."),
    ("es", "No necesitamos muestras todavía, gracias."),
    ("es", "Las muestras no son necesarias por ahora."),
    ("pt", "Por exemplo, o modelo de 100W."),
    ("pt", "Ainda não precisamos de amostras."),
    ("pt", "As amostras não são necessárias agora."),
    ("fr", "Par exemple, le modèle 60x60."),
    ("fr", "Nous n'avons pas besoin d'échantillons pour le moment."),
    ("fr", "Pas d'échantillon pour l'instant, merci."),
    ("ru", "Например, модель на 150 Вт."),
    ("ru", "Образцы пока не нужны."),
    ("ru", "Давайте договоримся о времени звонка."),
    ("ar", "لا نحتاج إلى عينات الآن"),
    ("ar", "شكرا على الكتالوج"),
]


@pytest.mark.parametrize(("language", "text"), LOOK_ALIKES)
def test_look_alikes_do_not_fire(language: str, text: str) -> None:
    assert found(text) == set(), signals.detect(text, RULES)


def test_a_negation_only_covers_its_own_clause() -> None:
    text = "We don't need samples, but can we arrange a video call to see the factory?"
    assert found(text) == {S.FACTORY_AUDIT}
    assert found("No, we want samples.") == {S.SAMPLE_REQUEST}


def test_quoted_mail_is_not_scanned() -> None:
    text = (
        "Thanks, we will check internally.\n\n"
        "On Mon, 23 Nov 2026, Lily Chen wrote:\n"
        "> Our payment terms are T/T 30% deposit, 70% against B/L copy.\n"
        "> Samples are free, freight collect.\n"
    )
    assert found(text) == set()
    assert found("> What is your best price?\nOK, thank you.") == set()


def test_hits_say_where_and_what_matched() -> None:
    text = "¿Nos puede hacer un DESCUENTO?"
    (hit,) = signals.detect(text, RULES)
    assert hit.signal is S.BARGAINING and hit.language == "es" and hit.phrase == "descuento*"
    assert text[hit.start : hit.end] == hit.matched == "DESCUENTO"


def test_arabic_prefixes_and_letter_forms_are_folded() -> None:
    assert found("والعينات مهمة جدا") == {S.SAMPLE_REQUEST}  # "and the samples"
    assert found("ما هو افضل سعر؟") == {S.BARGAINING}  # أفضل written without hamza
    assert found("مَا هُوَ أَفْضَلُ سِعْرٍ؟") == {S.BARGAINING}  # with diacritics


def test_overlapping_phrases_count_once() -> None:
    hits = signals.detect("Could you send a sample of the 60W?", RULES)
    assert [h.matched for h in hits] == ["send a sample"]


def test_the_signal_closest_to_a_deal_leads() -> None:
    hits = signals.detect("We need a better price. And please send the contract.", RULES)
    best = signals.strongest(hits)
    assert best is not None and best.signal is S.CONTRACT_TERMS
    assert signals.strongest(()) is None


def test_precision_on_the_look_alikes_and_recall_on_the_messages() -> None:
    false_alarms = sum(1 for _lang, text in LOOK_ALIKES if found(text))
    missed = sum(1 for _lang, text, expected in POSITIVE if not expected <= found(text))
    assert false_alarms == 0 and missed == 0


@given(st.text(max_size=300))
def test_detection_never_fails_and_spans_are_real(text: str) -> None:
    for hit in signals.detect(text, RULES):
        scanned = signals.strip_quoted(text)
        assert 0 <= hit.start < hit.end <= len(scanned)
        assert scanned[hit.start : hit.end] == hit.matched


@given(st.lists(st.sampled_from(["price", "discount", "не", "not", ",", "sample", "لا", "x"])))
def test_word_soup_never_breaks_the_detector(words: list[str]) -> None:
    signals.detect(" ".join(words), RULES)
