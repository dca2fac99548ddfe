"""Terminal rendering of `csmetrics validate` profiles."""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csmetrics.core.json_values import jsonable
from csmetrics.core.text import printable


def profiles_json(profiles: list[dict[str, Any]]) -> str:
    """The profiles as indented JSON (what `validate --format json` prints)."""
    return json.dumps(jsonable(profiles), indent=2) + "\n"


def render_profiles(profiles: list[dict[str, Any]], console: Console) -> None:
    for profile in profiles:
        paths = profile["paths"]
        where = paths[0] if len(paths) == 1 else f"{len(paths)} files ({paths[0]} …)"
        preset = f"  (read with the {profile['preset']} preset)" if profile.get("preset") else ""
        console.print(
            Text.assemble((profile["source"], "bold"), f"  {printable(where)}{preset}"),
            highlight=False,
        )
        console.print(
            f"  rows {profile['rows']:,} (used {profile['rows_used']:,}), duplicates {profile['duplicates']:,}, "
            f"time range {_ts(profile['first_timestamp'])} to {_ts(profile['last_timestamp'])}"
        )
        if profile.get("duplicates_by"):
            console.print(
                f"  duplicates found by {profile['duplicates_by']}: {profile['duplicates']:,} "
                "rows removed"
            )
        if profile.get("without_dedup_key"):
            console.print(
                f"  rows without {profile['dedup_key']}: {profile['without_dedup_key']:,} "
                "(never taken for duplicates)"
            )
        for currency, total in profile.get("amount_by_currency", {}).items():
            console.print(f"  amount total {currency}: {total}")
        table = Table(box=box.SIMPLE, show_edge=False)
        for column in ("column", "header", "type", "required", "nulls"):
            table.add_column(column, justify="right" if column == "nulls" else "left")
        for column in profile["columns"]:
            table.add_row(
                column["column"],
                Text(
                    printable(
                        column["header"]
                        + "".join(f", then {h}" for h in column.get("fallbacks", ()))
                    )
                ),
                column["type"],
                "yes" if column["required"] else "",
                f"{column['nulls']:,}",
            )
        console.print(table)
        if profile["absent_columns"]:
            console.print(
                f"  optional columns not in the data: {', '.join(profile['absent_columns'])}"
            )
        for warning in profile["warnings"]:
            console.print(f"  warning: {warning}", style="yellow", markup=False)
        console.print()


def _ts(value: object) -> str:
    return str(value)[:19] if value is not None else "n/a"
