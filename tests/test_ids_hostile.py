"""Every place that reads a numeric id from a person or a post refuses digits int() or BIGINT cannot take."""

from __future__ import annotations

import io
import sqlite3

import pytest

from watchfloor.alerts.watch import check_rule
from watchfloor.cli.media import _parse_post
from watchfloor.errors import InvalidInput
from watchfloor.exports.stix import export_stix
from watchfloor.ids import is_id
from watchfloor.network import resolve_target
from watchfloor.store.network import SourceProfile

HOSTILE = ["²", "1²", "١٢", "۱۲", "１２", "⑫", "𝟙𝟚", "-", "", " 12", "12 ", "+12", "0x12", "1e3", "1_000",
           "9" * 20, str(2**63), str(2**64), "1" * 400, "\u066012", "12\x00"]
GOOD = ["0", "2", "42", "1350118745", str(2**63 - 1)]


@pytest.mark.parametrize("text", HOSTILE)
def test_is_id_refuses_what_a_bigint_cannot_hold(text: str) -> None:
    assert not is_id(text)


@pytest.mark.parametrize("text", GOOD)
def test_is_id_takes_ascii_ids_within_64_bits(text: str) -> None:
    assert is_id(text)
    assert sqlite3.connect(":memory:").execute("SELECT ?", (int(text),)).fetchone()[0] == int(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_callers_answer_hostile_ids_with_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput):
        export_stix(None, f"story:{text}", io.StringIO())  # type: ignore[arg-type]  # refused before any query
    with pytest.raises(InvalidInput):
        check_rule("story", text, [], "immediate")
    with pytest.raises(InvalidInput):
        _parse_post(f"telegram:1350118745/{text}")
    profile = SourceProfile(key="telegram:12", name="Wire", handle="wire_desk", channel_id=12, affiliation=None)
    assert resolve_target(f"channel{text}", {"telegram:12": profile}) != "telegram:12" or text.strip() == "12"
