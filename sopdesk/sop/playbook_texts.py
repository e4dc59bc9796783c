"""The shipped playbook's texts, marked for the translation catalogue.

The playbook is TOML, which gettext extraction cannot read; this list carries its English texts
into the catalogue so the Chinese UI shows the shipped SOP in Chinese. A team's own texts are
shown as written. `tests/unit/test_playbook.py` fails when this list and playbook.toml drift apart;
`python -m sopdesk.sop.playbook_texts` prints a fresh copy of the list.
"""

from __future__ import annotations

from sopdesk.i18n import N_

SHIPPED_TEXTS: tuple[str, ...] = (
    N_("Review yesterday's store data"),
    N_("Exposure, clicks, inquiries, TM chats and visitor details."),
    N_("Find zero-effect products"),
    N_("No exposure, clicks or inquiries: improve title, keywords, main image, detail page."),
    N_("Check the storefront"),
    N_("Home page, categories, company video and intro look professional."),
    N_("Quote today's RFQs"),
    N_("Check new RFQs in the RFQ market and quote precisely."),
    N_("First reply within 5 minutes"),
    N_("Background check"),
    N_("Quotation or PI with 1–2 questions"),
    N_("Samples"),
    N_("Deep talk on several channels"),
    N_("Remove doubts"),
    N_("Negotiate terms"),
    N_("The final push"),
    N_("Confirm details"),
    N_("Sign the contract"),
    N_("Weekly production updates"),
    N_("Keep the relationship"),
    N_("Find new needs"),
    N_("Nurture with news and new products"),
    N_("Record why it was lost"),
    N_("Background check: {customer}"),
    N_(
        "First reply sent {sent}: check the company, the platform profile, buyer type and potential."
    ),
    N_("Day-3 follow-up if no answer: {customer}"),
    N_("First reply sent {ago}, no answer since."),
    N_("Nudge on chat: please check quotation {quote}"),
    N_("Quote {quote} sent {ago} by e-mail, no answer yet: ask on TM or WhatsApp to check it."),
    N_("Follow up quotation {quote}"),
    N_("Quote {quote} sent {ago}, no answer."),
    N_("Ask for sample feedback: {product}"),
    N_("Sample sent {sent} should have arrived by {arrival}, no feedback yet."),
    N_("Weekly production update: order {order}"),
    N_(
        "Order {order} in production since {since}: send this week's photos or video (week {week})."
    ),
    N_("Arrival check: order {order}"),
    N_("Order {order} is due at port on {eta}: ask whether it arrived and cleared customs."),
    N_("Ask for feedback: order {order}"),
    N_("Order {order} arrived on {arrived}: ask about satisfaction, pictures, a review or a case."),
    N_("Keep in touch: {customer}"),
    N_("Potential {potential}: last touch {ago}; send industry news, new products or greetings."),
    N_("24-hour reply rate"),
    N_("Inquiry → effective follow-up"),
    N_("Sample → order"),
    N_("Average order value"),
    N_("Repurchase rate"),
    N_("New customers"),
    N_(
        "Don't cut easily. Stress value: quality, service, certificates, a reliable lead time. A small discount only with a condition: a larger quantity or a higher prepayment."
    ),
    N_("New customer: T/T 30% deposit, 70% against the copy of the B/L. Stay firm."),
    N_("Established customer: T/T 30/70 first; O/A or L/C can be offered."),
    N_(
        "Free samples with freight paid by the customer (their courier account), or paid samples refunded on the order. Ship them fast."
    ),
    N_(
        "Create urgency (this price holds while raw-material cost does, valid until a date), add a small incentive (confirm by Friday for a free packaging upgrade), make the next step simple (confirm and we stamp the PI; production starts when the deposit arrives)."
    ),
)


def shipped_texts_in_toml() -> list[str]:
    """Every translatable text of the shipped playbook, in file order."""
    import tomllib

    from sopdesk.sop.playbook import shipped_text

    document = tomllib.loads(shipped_text())
    found: list[str] = []

    def add(text: str) -> None:
        if text not in found:
            found.append(text)

    for item in document["routine"]:
        add(item["title"])
        add(item["detail"])
    for stage in document["stages"].values():
        for action in stage.get("key_actions", []):
            add(action)
    for cadence in document["cadence"]:
        add(cadence["title"])
        add(cadence["why"])
    for kpi in document["kpi"].values():
        add(kpi["title"])
    for key in ("price", "payment_new", "payment_established", "samples", "final_push"):
        add(document["negotiation"][key])
    return found


if __name__ == "__main__":  # pragma: no cover - a maintenance helper
    for text in shipped_texts_in_toml():
        print(f"    N_({text!r}),")
