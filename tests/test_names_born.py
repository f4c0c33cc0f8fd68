""""ولد" before a name is the verb "was born", not the particle "son of", which stands only inside a name ("محمد ولد
عبد العزيز"): no rule and no tagger's span opens a name with it. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وفي بداياته ولد سلفادور دالي في 11 مايو 1904.", "سلفادور دالي"),
    ("وقد ولد محمد عبد الله في القاهرة عام 1950.", "محمد عبد الله"),
    ("وانتخب محمد ولد عبد العزيز رئيسا للبلاد.", "محمد ولد عبد العزيز"),
    ("وقال سيدي ولد أحمد إن الحزب سيشارك.", "سيدي ولد أحمد"),
])
def test_born_opens_no_name(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]
