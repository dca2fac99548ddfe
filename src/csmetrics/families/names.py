"""A name that never occurs is a warning, never a silent 0% (issue 20, item 10): each setting
declared with `values_of` (an event, a funnel step, a feature's events, an owner) is compared
with the values its source column holds; a name found nowhere is said once, with the settings
that name it and the closest names that do occur."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from csmetrics.core.diagnostics import DataWarning
from csmetrics.families.settings import Setting
from csmetrics.ingest.inputs import Inputs


def unknown_name_warnings(
    family: str, settings: Iterable[Setting], parameters: Mapping[str, Any], inputs: Inputs
) -> list[DataWarning]:
    """One warning per named value that its source column never holds."""
    # (source column, name) -> the options naming it, in declaration order
    missing: dict[tuple[str, str], list[str]] = {}
    for setting in settings:
        if setting.values_of is None:
            continue
        kind, column = setting.values_of.split(".", 1)
        named = _names(parameters.get(setting.name))
        if not named or kind not in inputs or column not in inputs.sources[kind].columns:
            continue
        present = set(inputs.distinct(kind, column))
        for name in named:
            options = (
                missing.setdefault((setting.values_of, name), []) if name not in present else []
            )
            if name not in present and setting.option not in options:
                options.append(setting.option)
    return [
        _warning(family, options, values_of, name, inputs)
        for (values_of, name), options in missing.items()
    ]


def _warning(
    family: str, options: list[str], values_of: str, name: str, inputs: Inputs
) -> DataWarning:
    kind, column = values_of.split(".", 1)
    close = difflib.get_close_matches(name, inputs.distinct(kind, column), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return DataWarning(
        "unknown_name",
        f"{family}: {name!r} ({', '.join(options)}) never occurs in the {kind}' {column} "
        f"column{hint}",
        source=kind,
    )


def _names(value: Any) -> list[str]:
    """The names a setting's value holds: a name, a list of names, or a mapping of lists
    (engagement's features: feature -> its events)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [name for names in value.values() for name in _names(names)]
    return [str(name) for name in value]
