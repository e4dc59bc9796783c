"""gettext for every user-visible string; English source strings, Simplified Chinese catalogue.

The language comes from the config (`rep.language`) or, when empty, from LANGUAGE/LC_ALL/LC_MESSAGES/
LANG as gettext reads them. `_()` translates at call time, so `install()` may switch language
after import; `N_()` marks a string for extraction without translating it yet.
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


def current() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    return message
