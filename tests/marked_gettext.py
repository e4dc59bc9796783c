"""A fake catalogue that marks every string it translates: «like this».

A message that comes out marked went through gettext (and so gets its Chinese once the lead has
extracted and translated it); one that comes out bare was built past gettext. No compiled Chinese
catalogue is needed, so these tests do not wait for the translations.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager

from sopdesk import i18n


class Marked(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"«{msgid1 if n == 1 else msgid2}»"

    def pgettext(self, context: str, message: str) -> str:
        return f"«{message}»"

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return f"«{msgid1 if n == 1 else msgid2}»"


@contextmanager
def marked() -> Iterator[None]:
    """Translate with `Marked` inside the block; English again after it."""
    i18n.install_translations(Marked(), "zh_CN")
    try:
        yield
    finally:
        i18n.install("en")


def is_marked(text: str) -> bool:
    return text.startswith("«") and text.endswith("»")
