"""The family commands, one per family, made from the family's declaration: its sources, its
summary and example, and its settings (families/<family>/params.py), each setting with a flag
becoming an option. No family is written out here, so an option cannot drift from the setting
it sets: the command hands the values given (None: not given) to the one shared runner."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmetrics.cli.app import app
from csmetrics.cli.options import OutputOptions, SourceOptions, WindowOptions, command
from csmetrics.cli.wiring import run_family_command

if TYPE_CHECKING:
    from csmetrics.api import Family, Setting


def setting_parameter(setting: Setting) -> inspect.Parameter:
    """The Typer option of a setting: its flag and help; a repeatable setting takes a list, one
    value a flag, and its help says so (the config takes a TOML list instead)."""
    kind: Any = list[str] if setting.repeatable else setting.cli_type
    help_text = f"{setting.help} Repeatable." if setting.repeatable else setting.help
    option = typer.Option(
        setting.flag, help=help_text, metavar=setting.placeholder, show_default=False
    )
    return inspect.Parameter(
        setting.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[kind | None, option],
        default=None,
    )


def family_command(family: Family[Any]) -> None:
    """Register `csmetrics <family>` with the options of the family's settings."""

    def run(
        *, sources: SourceOptions, window: WindowOptions, output: OutputOptions, **given: Any
    ) -> None:
        run_family_command(family.name, given, sources, window, output)

    run.__name__ = family.name
    run.__doc__ = family.summary
    own = [setting_parameter(s) for s in family.settings if s.flag]
    for name in ("sources", "window", "output"):
        own.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY))
    run.__signature__ = inspect.Signature(own)  # type: ignore[attr-defined]
    command(
        app,
        sources=family.sources,
        window=True,
        output=True,
        epilog=f"Example: {family.example}",
    )(run)


def register_families() -> None:
    from csmetrics.api import families

    for family in families().values():
        family_command(family)


register_families()
