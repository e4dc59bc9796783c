"""Find customers by anything the rep remembers: company, names, e-mails, phones, message text.

Best first (store/search.py): customers whose card or a contact matches before those matched only
in a message. Latin words match as prefixes ("glob" finds "Global"); Chinese, Japanese, Korean and
Thai text by any part of one character or more ("华强" finds "深圳市华强电子有限公司").
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdesk.store import search as store_search
from sopdesk.store.db import database
from sopdesk.store.models import Customer, format_customer_number


@dataclass(frozen=True)
class CustomerHit:
    customer_id: int
    code: str
    name: str
    country: str


def find_customers(text: str, limit: int = 20) -> list[CustomerHit]:
    with database.connection_context():
        ids = store_search.search_customer_ids(text, limit)
        if not ids:
            return []
        by_id = {
            c.id: c
            for c in Customer.select(
                Customer.id, Customer.number, Customer.company, Customer.name, Customer.country
            ).where(Customer.id.in_(ids))
        }
    return [
        CustomerHit(
            customer_id=i,
            code=format_customer_number(by_id[i].number),
            name=by_id[i].company or by_id[i].name,
            country=by_id[i].country,
        )
        for i in ids
        if i in by_id
    ]
