"""Values and changes as people read them, from each metric's declared unit and direction.

- money: the currency's symbol or code, thousands separators, the currency's minor digits
  (`€7,629.66`, `IDR 1,250,000.00`, `¥12,000`);
- shares (0..1 fractions): percentages (`45.3%`);
- durations (declared in minutes, hours or days): the largest readable unit (`43 s`,
  `4 min 10 s`, `2 h 5 min`, `1.6 days`);
- counts: whole numbers (`1,234`), a mean of counts with one decimal (`211.4`);
- scores (NPS -100..100, CSAT and CES means) and ratios: two decimals, one past 10.

A change is in percentage points for a share (`+46.7 pp`), in points for a score (`+66.7 pts`),
in percent for everything else (amounts, counts, durations); and it is judged by the metric's
direction in words and a symbol that survive without colour (`▲ better`, `▼ worse`).
JSON, CSV and Parquet keep full-precision numbers; these are for the terminal, Markdown and HTML.
"""

from __future__ import annotations

import math

from csmetrics.core.declarations import Direction

MISSING = "n/a"
COUNT_UNITS = ("users", "accounts", "sessions", "count")
SECONDS = {"minutes": 60.0, "hours": 3600.0, "days": 86400.0}
SHORT = {"minutes": "min", "hours": "h", "days": "days"}
# ISO 4217 currencies without minor units (the others show two decimals)
NO_MINOR = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XOF", "XAF", "PYG", "RWF"})
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$", "CHF": "CHF "}


def money(value: float, currency: str | None) -> str:
    """`€7,629.66`; a code without a symbol goes before the number with a space."""
    code = (currency or "").upper()
    digits = 0 if code in NO_MINOR else 2
    number = f"{abs(value):,.{digits}f}"
    sign = "-" if value < 0 and float(number.replace(",", "")) != 0 else ""
    if code in SYMBOLS:
        return f"{sign}{SYMBOLS[code]}{number}"
    return f"{sign}{code} {number}" if code else f"{sign}{number}"


def duration(value: float, unit: str) -> str:
    """A duration given in `unit` (minutes, hours or days) in the largest readable unit."""
    seconds = value * SECONDS[unit]
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    if seconds == 0:
        return f"0 {SHORT[unit]}"
    if seconds < 0.5:
        return "0 s"
    if seconds < 59.5:
        return f"{sign}{seconds:.0f} s"
    if seconds < 600:  # under ten minutes the seconds still matter
        minutes, rest = divmod(round(seconds), 60)
        return f"{sign}{minutes} min" + (f" {rest} s" if rest else "")
    if seconds < 3600 - 30:
        return f"{sign}{round(seconds / 60)} min"
    if seconds < 86400 - 30:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{sign}{hours} h" + (f" {minutes} min" if minutes else "")
    days = seconds / 86400
    return f"{sign}{days:.1f} days" if days < 100 else f"{sign}{days:,.0f} days"


def format_value(value: float | None, unit: str, currency: str | None = None) -> str:
    """A metric's value as people read it (see the module doc)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "money":
        return money(value, currency)
    if unit in SECONDS:
        return duration(value, unit)
    if unit in COUNT_UNITS:
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def change(value: float | None, previous: float | None, unit: str) -> str:
    """The change from `previous` to `value`: points for shares and scores, else percent."""
    if value is None or previous is None:
        return ""
    if unit == "share":
        return f"{(value - previous) * 100:+.1f} pp"
    if unit in ("score", "ratio"):
        digits = 1 if max(abs(value), abs(previous)) >= 10 else 2  # as the values are shown
        return f"{value - previous:+.{digits}f}" + (" pts" if unit == "score" else "")
    if previous == 0:
        return "new" if value else "±0%"
    return f"{(value - previous) / abs(previous) * 100:+.1f}%"


def verdict(value: float | None, previous: float | None, direction: Direction) -> tuple[str, str]:
    """(`▲ better` or the like, a colour): the change judged by the metric's direction, in a
    symbol and a word that say it without colour; a neutral metric says up or down."""
    if value is None or previous is None:
        return "", ""
    if value == previous:
        return "= same", ""
    up = value > previous
    symbol = "▲" if up else "▼"
    if direction == "neutral":
        return f"{symbol} {'up' if up else 'down'}", ""
    good = up == (direction == "higher")
    return f"{symbol} {'better' if good else 'worse'}", "green" if good else "red"
