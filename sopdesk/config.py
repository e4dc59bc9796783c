"""Typed settings, read from `config.toml` in the config dir.

One dataclass per section; every field says what it is for. Unknown keys are reported, wrong types
are rejected with the key's name, and a missing file means defaults (the first-run setup writes it).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum
import tomli_w

from sopdesk import locations


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class RepSettings:
    name: str = ""
    """The rep's name as customers see it ("Lily Chen"); signs every draft."""
    title: str = "Sales Manager"
    """Job title under the name in signatures."""
    email: str = ""
    """The rep's business e-mail, for signatures."""
    whatsapp: str = ""
    """The rep's WhatsApp number in international form (+86 …), for signatures."""
    signature: str = ""
    """Extra signature lines appended to e-mail drafts."""
    timezone: str = "Asia/Shanghai"
    """The rep's IANA time zone: every time is shown in it, beside the customer's local time."""
    language: str = ""
    """UI language: "en" or "zh_CN"; empty follows LANG/LC_ALL."""


@dataclass(frozen=True)
class CompanySettings:
    name: str = ""
    """Our company's name, used in drafts and PIs."""
    years: int = 0
    """Years of experience, quoted in the SOP's first reply."""
    markets: str = ""
    """Main markets served, e.g. "Europe, North America and the Middle East"."""
    certificates: str = ""
    """Certificates worth naming in a first reply, e.g. "ISO 9001, CE, SGS"."""
    website: str = ""
    """Our website, for signatures."""


@dataclass(frozen=True)
class BankSettings:
    """[bank]: printed on every PI so the buyer can pay the deposit (SOP 3.1, stage 5)."""

    beneficiary: str = ""
    """The account holder, as the bank knows it (usually the company's registered name)."""
    address: str = ""
    """The company's registered address: the seller block and the beneficiary of a PI."""
    phone: str = ""
    """The company's phone for the PI's seller block."""
    bank_name: str = ""
    """The beneficiary's bank, e.g. "Bank of China, Ningbo Branch"."""
    bank_address: str = ""
    """The bank's address (some buyers' banks ask for it)."""
    account_number: str = ""
    """The account number (or IBAN) payments go to."""
    swift: str = ""
    """The bank's SWIFT/BIC code."""
    note: str = ""
    """One line printed under the bank details, e.g. "Bank charges outside China are for the
    buyer's account"."""


@dataclass(frozen=True)
class OrderSettings:
    """[orders]: order execution (SOP stage 5)."""

    extra_documents: list[str] = field(default_factory=list)
    """Shipping documents to tick off besides B/L, commercial invoice, packing list and
    certificate of origin, e.g. ["Fumigation certificate", "Form E"]."""
    holiday_greeting_days: int = 3
    """A holiday greeting task falls this many days before a customer's public holiday."""


@dataclass(frozen=True)
class Settings:
    rep: RepSettings = field(default_factory=RepSettings)
    company: CompanySettings = field(default_factory=CompanySettings)
    bank: BankSettings = field(default_factory=BankSettings)
    """Bank details and the seller's address for PIs."""
    orders: OrderSettings = field(default_factory=OrderSettings)
    """Order execution: extra shipping documents, holiday greetings."""
    setup_done: bool = False
    """True once the first-run setup was completed or skipped; it is not asked again."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Key remaps by binding id, e.g. {"inbox.reply" = "ctrl+r"} (Textual's set_keymap)."""
    rfq_monthly_quota: int = 20
    """RFQ quotes the store's membership allows per calendar month; the RFQ log counts against it."""
    report_currency: str = "USD"
    """ISO 4217 currency the reports convert order values into (average order value)."""
    exchange_rates: dict[str, str] = field(default_factory=dict)
    """Units of `report_currency` that one unit of each currency buys, e.g. {EUR = "1.08",
    CNY = "0.138"}; orders in a currency without a rate are shown but left out of the total."""


_SECTIONS: dict[str, type] = {
    "rep": RepSettings,
    "company": CompanySettings,
    "bank": BankSettings,
    "orders": OrderSettings,
}


def _check_type(path: str, key: str, value: Any, expected: Any) -> None:
    kinds = {"str": str, "int": int, "bool": bool}
    kind = kinds.get(expected if isinstance(expected, str) else getattr(expected, "__name__", ""))
    if kind is None:
        return
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise ConfigError(f"{path}: {key} should be a {kind.__name__}, not {value!r}")


def _section(path: str, name: str, raw: Any, cls: type) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{name}] should be a table")
    known = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting {name}.{key}")
        _check_type(path, f"{name}.{key}", value, known[key].type)
    return cls(**raw)


def _exchange_rates(path: str, raw: Any) -> dict[str, str]:
    """[exchange_rates]: currency code → a positive number (written as a number or a string)."""
    from decimal import Decimal, InvalidOperation

    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [exchange_rates] maps currency codes to rates")
    rates: dict[str, str] = {}
    for code, value in raw.items():
        try:
            rate = Decimal(str(value)) if not isinstance(value, bool) else Decimal(-1)
        except InvalidOperation:
            rate = Decimal(-1)
        if len(code) != 3 or not code.isalpha() or not rate.is_finite() or rate <= 0:
            raise ConfigError(f"{path}: exchange_rates.{code} should be a positive number")
        rates[code.upper()] = str(rate)
    return rates


def load(path: Path | None = None) -> Settings:
    """Read the settings; defaults when the file does not exist."""
    path = path or locations.config_file()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _SECTIONS:
            values[key] = _section(str(path), key, value, _SECTIONS[key])
        elif key == "setup_done":
            _check_type(str(path), key, value, "bool")
            values[key] = value
        elif key in ("rfq_monthly_quota", "report_currency"):
            _check_type(str(path), key, value, "int" if key == "rfq_monthly_quota" else "str")
            values[key] = value
        elif key == "exchange_rates":
            values[key] = _exchange_rates(str(path), value)
        elif key == "keymap":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{path}: [keymap] maps binding ids to key strings")
            values[key] = dict(value)
        else:
            raise ConfigError(f"{path}: unknown setting {key}")
    settings = Settings(**values)
    validate(settings, str(path))
    return settings


def validate(settings: Settings, where: str = "settings") -> None:
    try:
        pendulum.timezone(settings.rep.timezone)
    except Exception as exc:
        raise ConfigError(
            f"{where}: rep.timezone {settings.rep.timezone!r} is not an IANA time zone"
        ) from exc


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings (0600: the file holds the rep's contact details)."""
    path = path or locations.config_file()
    locations.ensure_private_dir(path.parent)
    data = dataclasses.asdict(settings)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        tomli_w.dump(data, fh)
    tmp.replace(path)
    return path


def demo_settings() -> Settings:
    """The settings the demo runs with: a plausible rep at a plausible factory."""
    return Settings(
        rep=RepSettings(
            name="Lily Chen",
            title="Sales Manager",
            email="lily@ningbo-brightlight.example",
            whatsapp="+86 139 5743 2210",
            timezone="Asia/Shanghai",
        ),
        company=CompanySettings(
            name="Ningbo Brightlight Lighting Co., Ltd.",
            years=15,
            markets="Europe, North America, the Middle East and Latin America",
            certificates="ISO 9001, CE, RoHS, UL",
            website="https://brightlight.example",
        ),
        bank=BankSettings(
            beneficiary="Ningbo Brightlight Lighting Co., Ltd.",
            address="No. 88 Jinhai Road, Beilun District, Ningbo 315800, Zhejiang, China",
            phone="+86 574 8688 1200",
            bank_name="Bank of China, Ningbo Branch",
            bank_address="139 Yaohang Street, Ningbo, China",
            account_number="3581 0123 4567 8901",
            swift="BKCHCNBJ92A",
            note="Bank charges outside China are for the buyer's account.",
        ),
        setup_done=True,
    )
