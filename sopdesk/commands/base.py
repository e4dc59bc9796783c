"""The click classes every `sopdesk` command is built on: help translated when it is shown.

click takes its help texts when the commands are defined, at import, long before the language is
known, and it keeps them as plain `str` (an option's help is even `cleandoc`-ed at once), so a lazy
string class cannot reach it. Instead every help text under sopdesk/commands is an English msgid
marked with `N_()`, and `Command` and `Group` translate their own help, epilog and the help of
their options and arguments each time click renders a help page or the list of subcommands.

click's own words ("Usage:", "Options", "Error: …", "Missing argument") come from `gettext` calls
inside click; `route_click_messages` sends them through sopdesk's catalogue too (they are marked
below for extraction), so a Chinese help page or usage error is Chinese throughout.

The language is chosen by `choose_language`, as the workbench chooses it (config `rep.language`,
else LANGUAGE/LC_ALL/LC_MESSAGES/LANG), when `sopdesk` starts, before click parses anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from sopdesk import i18n
from sopdesk.i18n import N_, _, ngettext

HELP_OPTION = N_("Show this message and exit.")
_TEXTS = ("help", "short_help", "epilog")


def choose_language() -> str:
    """Install the language the workbench would use; returns it. A config file that cannot be
    read counts as no setting: the command that needs the settings says what is wrong with it."""
    from sopdesk import config

    try:
        language = config.load().rep.language
    except (config.ConfigError, OSError):
        language = ""
    return i18n.install(language)


def _verbatim(text: str) -> str:
    """click rewraps every paragraph unless it starts with a "\\b" line; a msgid says the same
    with an indented line instead (a control character would be lost on translators)."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        "\b\n" + p if any(line.startswith("  ") for line in p.splitlines()) else p
        for p in paragraphs
    )


@contextmanager
def translated(objects: Iterable[object]) -> Iterator[None]:
    """Show the translation of every help text of `objects` while the block runs; the msgids
    are put back afterwards, so the next render follows the language then in use."""
    saved: list[tuple[object, str, str]] = []
    for obj in objects:
        for name in _TEXTS:
            text = getattr(obj, name, None)
            if isinstance(text, str) and text:
                saved.append((obj, name, text))
                setattr(obj, name, _(text) if name == "short_help" else _verbatim(_(text)))
    try:
        yield
    finally:
        for obj, name, text in reversed(saved):
            setattr(obj, name, text)


class Command(click.Command):
    """A command whose help texts are msgids, translated when click shows them."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None and not getattr(option, "sopdesk_msgid", False):
            # click made it with its text translated once; keep the msgid, as for every option.
            option.help = HELP_OPTION
            option.sopdesk_msgid = True  # type: ignore[attr-defined]
        return option

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with translated([self, *self.get_params(ctx)]):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with translated([self]):
            if self.help and not self.short_help:
                # click ends the short help at the first ". "; Chinese ends a sentence with "。".
                head, stop, _rest = self.help.partition("\n\n")[0].partition("。")
                if stop:
                    self.help = head + stop
            return super().get_short_help_str(limit)


class Group(Command, click.Group):
    """A group of commands; `@group.command()` and `@group.group()` make translated ones too."""

    command_class = Command
    group_class = type


class Path(click.Path):
    """`click.Path` whose word for the path ("file", "directory") in its messages is translated
    when the message is made (click translates it once, when the command is defined)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        name = self.name
        self.name = _(name)
        try:
            return super().convert(value, param, ctx)
        finally:
            self.name = name


def command(name: str | None = None, **attrs: Any) -> Any:
    """`click.command` making a `Command`: pass the help as `help=N_("…")`."""
    return click.command(name, cls=Command, **attrs)


def group(name: str | None = None, **attrs: Any) -> Any:
    """`click.group` making a `Group`: pass the help as `help=N_("…")`."""
    return click.group(name, cls=Group, **attrs)


def version_option(version: str) -> Any:
    """--version, its help and its line translated like the rest."""

    def show(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(_("sopdesk {version}").format(version=version))
            ctx.exit()

    return click.option(
        "--version",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=show,
        help=N_("Show the version and exit."),
    )


# --- click's own words ---------------------------------------------------------------------------


def route_click_messages() -> None:
    """Send click's own `gettext` calls through sopdesk's catalogue.

    click calls the process-wide `gettext.gettext`, whose language comes from the environment only
    and which knows nothing of sopdesk's domain; its modules import it by name, so the names are
    rebound here. Harmless to call again."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (
        click.core, click.decorators, click.exceptions, click.formatting, click.parser,
        click.termui, click.types,
    ):  # fmt: skip
        module._ = i18n._  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
    N_("Missing command."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("required"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("Error: invalid input"),
)
"""The words of click's that a sopdesk user meets, marked here so they reach the catalogue."""


def _click_plurals() -> None:  # pragma: no cover - never called: marks click's plurals
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
        1,
    )


route_click_messages()
