"""Family settings are declared once (families/<family>/params.py) and mean the same through the
command line, the API, the config and `report`."""

from __future__ import annotations

import inspect
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import csmetrics as cm
from csmetrics import api
from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import names
from csmetrics.core.window import BOUNDS, CALENDAR
from csmetrics.families.catalogue import FAMILIES
from tests.helpers import cli

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2026-10"
LIST_SETTINGS = [
    (family.name, setting.name)
    for family in FAMILIES.values()
    for setting in family.settings
    if setting.read is names
]


def test_every_family_declares_its_list_settings() -> None:
    # the parametrised test below would pass vacuously if no setting were found
    assert ("engagement", "inactive_events") in LIST_SETTINGS
    assert ("onboarding", "steps") in LIST_SETTINGS
    assert ("health", "inactive_events") in LIST_SETTINGS
    assert len(LIST_SETTINGS) >= 6


@pytest.mark.parametrize(("family", "name"), LIST_SETTINGS)
def test_a_list_setting_given_as_one_string_is_one_item(family: str, name: str) -> None:
    settings = FAMILIES[family].settings
    as_text = settings.resolve({name: "email_opened"}, {})[name]
    as_list = settings.resolve({name: ["email_opened"]}, {})[name]
    given = settings.resolve({}, {name: "email_opened"})[name]
    assert as_text == as_list == given == ("email_opened",)  # never ("e", "m", "a", ...)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_api_takes_exactly_the_declared_settings(family: str) -> None:
    signature = inspect.signature(getattr(api, family))
    keywords = [
        p.name for p in signature.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert keywords == list(FAMILIES[family].settings.names)
    # every keyword defaults to "not given", so the config's value can apply
    assert all(signature.parameters[k].default is None for k in keywords)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_command_line_has_an_option_for_every_flagged_setting(capsys, family: str) -> None:
    code, out, _ = cli(capsys, family, "--help")
    assert code == 0
    flags = [s.flag for s in FAMILIES[family].settings if s.flag]
    assert flags, family
    for flag in flags:
        assert flag in out, (family, flag)


def test_an_unknown_config_key_names_the_closest_known_one() -> None:
    with pytest.raises(
        ConfigError, match=r"\[engagement\]: unknown key 'session_gaps'; did you mean 'session_gap'"
    ):
        FAMILIES["engagement"].settings.resolve({"session_gaps": "30m"}, {})


def test_a_misspelt_api_keyword_is_an_error_not_ignored() -> None:
    inputs = cm.load(events=ROOT / "sample_data" / "events.csv")
    with pytest.raises(TypeError, match="'timezon'; did you mean 'timezone'"):
        cm.engagement(inputs, timezon="Europe/Paris")  # type: ignore[call-arg]
    assert set(BOUNDS) | set(CALENDAR) == set(api.WindowArgs.__annotations__)


def _config(tmp_path: Path, extra: str = "", top: str = "") -> Path:
    shutil.copytree(ROOT / "sample_data", tmp_path / "data")
    config = tmp_path / "data" / "csmetrics.toml"
    sample = config.read_text()
    for table in re.findall(r"^\[(\w+)\]$", extra, flags=re.MULTILINE):
        # the extra settings replace the sample's own table of that family (TOML has one)
        sample = re.sub(rf"^\[{table}\]\n(?:(?!\[).*\n)*", "", sample, flags=re.MULTILINE)
    config.write_text(top + sample + extra)
    return config


def test_inactive_events_as_one_string_in_the_config(tmp_path: Path, capsys) -> None:
    as_list = _config(tmp_path / "list")
    as_text = _config(tmp_path / "text")
    as_text.write_text(
        as_text.read_text().replace(
            'inactive_events = ["email_opened"]', 'inactive_events = "email_opened"'
        )
    )
    first = cm.engagement(cm.load(config=as_list), period=PERIOD)
    second = cm.engagement(cm.load(config=as_text), period=PERIOD)
    assert second.parameters["inactive_events"] == ["email_opened"]
    assert first.metrics == second.metrics
    code, out, err = cli(capsys, "health", "--config", str(as_text), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["parameters"]["inactive_events"] == ["email_opened"]


def test_the_api_after_loading_a_config_uses_its_family_settings(tmp_path: Path) -> None:
    inputs = cm.load(config=_config(tmp_path))
    with_config = cm.engagement(inputs, period=PERIOD)
    # the config's [engagement]: inactive_events = ["email_opened"] and 7 features
    assert with_config.parameters["inactive_events"] == ["email_opened"]
    assert with_config.tables["feature_adoption"].height == 7
    # an explicit keyword wins over the config
    explicit = cm.engagement(inputs, period=PERIOD, inactive_events=[])
    assert explicit.parameters["inactive_events"] == []  # None is "not given"; [] is none
    gap = cm.engagement(inputs, period=PERIOD, session_gap="10m")
    assert gap.parameters["session_gap_minutes"] == 10


# Settings that differ from every default, for each family: the three ways must agree on them.
EXTRA = """
[onboarding]
activation_events = ["created_project", "invited_user"]
steps = ["signed_up", "created_project", "invited_user"]
activation_window = "7d"

[retention]
periods = 6
retention_mode = "on_or_after"

[support]
sla_first_response = "4h"
business_hours = "mon-fri 09:00-17:00"

[voice]
by = "segment"

[revenue]
gross_margin = 0.8

[health]
weights = { billing = 2 }
"""


def _same(left: Any, right: Any) -> bool:
    """Equal, floats to 1e-12 relative: a mean summed in another order (Polars splits the work
    by the columns loaded, which differ between a one-family and an every-family load) may
    differ in its last bit."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, float) and isinstance(right, float):
        return left == pytest.approx(right, rel=1e-12)
    return bool(left == right)


def test_command_line_api_and_report_agree_for_every_family(tmp_path: Path, capsys) -> None:
    config = _config(tmp_path, EXTRA, top='grain = "week"\n')
    inputs = cm.load(config=config)
    bundle = cm.report(inputs, period=PERIOD)
    assert set(bundle.current) == set(FAMILIES)
    for name in FAMILIES:
        code, out, err = cli(
            capsys, name, "--config", str(config), "--period", PERIOD, "--format", "json"
        )
        assert code == 0, err
        from_cli = json.loads(out)
        from_api = json.loads(getattr(cm, name)(inputs, period=PERIOD).to_json())
        from_report = json.loads(bundle.current[name].to_json())
        for other in (from_api, from_report):
            assert other["parameters"] == from_cli["parameters"], name
            assert _same(other["metrics"], from_cli["metrics"]), name
            assert _same(other["tables"], from_cli["tables"]), name
    # the settings reached the families: the config's values, not the defaults
    assert bundle.current["retention"].parameters["cohort_grain"] == "week"  # follows grain
    assert bundle.current["retention"].parameters["periods"] == 6
    assert bundle.current["revenue"].parameters["gross_margin"] == 0.8
    assert bundle.current["health"].parameters["weights"]["billing"] == 2
    assert bundle.current["voice"].parameters["by"] == "segment"


def test_the_starter_config_shows_every_setting_with_a_valid_example(tmp_path: Path) -> None:
    import tomllib

    (tmp_path / "holidays.txt").write_text("2026-12-25\n")
    text = cm.api.starter_config()
    # every commented-out setting switched on: the examples are valid values, not just text
    setting_line = re.compile(r"# [a-z_]+ = ")
    switched_on = "\n".join(
        line[2:] if setting_line.match(line) else line for line in text.splitlines()
    )
    table = tomllib.loads(switched_on)
    for name, family in FAMILIES.items():
        assert set(table[name]) == set(family.settings.names), name
        values = family.settings.resolve(table[name], {}, str(tmp_path))
        assert values.keys() == set(family.settings.names)
    # the starter as written sets only some of them, and runs: tests/test_report_check.py
    assert tomllib.loads(text)["engagement"] == {
        "session_gap": "30m",
        "inactive_events": ["email_opened"],
    }
