"""`--help` that reads like a command line's: each option's value is a typed placeholder (PATH,
DATE, ZONE, SOURCE=NAME), never Typer's Python type (`<str>`, `<list[str]>`), and a flag (an
on/off option, `--help` itself) shows none.

Every command and the group are made with these classes (options.py's `command`, app.py), so a
new option gets a placeholder from its name or, failing that, from its type.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup

# option name (the parameter's) -> what its value is
PLACEHOLDERS = {
    "events": "PATH",
    "tickets": "PATH",
    "billing": "[ROLE=]PATH",
    "subscriptions": "PATH",
    "surveys": "PATH",
    "accounts": "PATH",
    "config": "PATH",
    "map_": "SOURCE.COLUMN=HEADER",
    "preset": "SOURCE=NAME",
    "format_in": "FORMAT",
    "encoding": "CODEC",
    "source_timezone": "ZONE",
    "survey": "KIND",
    "engine": "NAME",
    "spark_master": "URL",
    "spark_remote": "URL",
    "since": "DATE",
    "until": "DATE",
    "period": "PERIOD",
    "as_of": "DATE",
    "timezone": "ZONE",
    "week_start": "DAY",
    "grain": "GRAIN",
    "output_format": "FORMAT",
    "output": "PATH",
    "output_dir": "DIR",
    "junit": "PATH",
    "family": "NAME",
    "end": "DATE",
    "file_format": "FORMAT",
}
# Typer's names of Python types (Typer carries its own copy of Click, so its classes are not
# `click`'s: the parameters are read by their attributes)
BY_TYPE = {"int": "N", "float": "NUMBER", "Path": "PATH"}


def placeholder(param: Any) -> None:
    """Give an option its placeholder, unless its declaration chose one; an argument shows
    its name alone (`METRIC`), not its Python type beside it."""
    if getattr(param, "param_type_name", "") == "argument":
        param.display_type_rich = lambda ctx: None
        return
    if getattr(param, "param_type_name", "") != "option":
        return
    if param.is_flag:
        param.metavar = ""
    elif param.metavar is None:
        bare_type = getattr(param, "bare_type", None)
        kind = bare_type() if callable(bare_type) else ""
        numeric = BY_TYPE.get(kind) if kind in ("int", "float") else None  # sample's --accounts N
        param.metavar = numeric or PLACEHOLDERS.get(param.name or "") or BY_TYPE.get(kind, "TEXT")


class WithPlaceholders:
    """Gives every parameter of the command its placeholder as Click collects them."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            placeholder(param)
        return params


class Command(WithPlaceholders, TyperCommand):
    pass


class Group(WithPlaceholders, TyperGroup):
    pass


def command_settings(**settings: Any) -> dict[str, Any]:
    """`app.command` keywords with this module's command class."""
    return {"cls": Command, **settings}
