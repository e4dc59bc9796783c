"""gettext for every user-visible string; English source strings, Simplified Chinese catalogue.

The language comes from the config (`rep.language`) or, when empty, from LANGUAGE/LC_ALL/LC_MESSAGES/
LANG as gettext reads them. `_()` translates at call time, so `install()` may switch language
after import; `N_()` marks a string for extraction without translating it yet. A word that means
two things in English ("sent" a touch, "sent" a quote) takes a context: `pgettext("quote status",
"sent")`, so each meaning has its own Chinese.
"""

from __future__ import annotations

import gettext as _gettext
import os

import pendulum

from sopdesk import locations

DOMAIN = "sopdesk"
SUPPORTED = ("en", "zh_CN")

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _from_environment() -> str:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            first = value.split(":")[0]
            return first.split(".")[0]
    return "en"


def normalise(language: str) -> str:
    lang = language.replace("-", "_")
    if lang.lower().startswith("zh"):
        return "zh_CN"
    return "en"


def install(language: str = "") -> str:
    """Choose the UI language ("" follows the environment); returns the one in use."""
    global _translations, _language
    _language = normalise(language or _from_environment())
    # Weekday and month names on screen follow the UI language; anything the buyer reads (drafts,
    # PIs) passes locale="en" or the template's language explicitly.
    pendulum.set_locale("zh" if _language == "zh_CN" else "en")
    if _language == "en":
        _translations = _gettext.NullTranslations()
    else:
        _translations = _gettext.translation(
            DOMAIN, localedir=str(locations.locale_dir()), languages=[_language], fallback=True
        )
    return _language


def install_translations(translations: _gettext.NullTranslations, language: str) -> None:
    """Use `translations` as they are (tests install a fake catalogue that marks every string it
    translates, to show a message goes through gettext without a compiled Chinese catalogue)."""
    global _translations, _language
    _translations = translations
    _language = language


def current() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations.npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802 - like N_, with a context
    """Mark `message` in `context` for extraction; translate it later with
    `pgettext(context, message)`."""
    return message
