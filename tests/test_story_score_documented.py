"""docs/architecture.md's story score is what pipeline/stories.py computes: every parameter is documented
with its value, and the formula written there, evaluated with the documented values, gives pair_score's
answer on many generated pairs of posts."""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from watchfloor.models import Mention, Post, Source
from watchfloor.pipeline.stories import ACTOR_WEIGHTS, StoryParams, informativeness, pair_score

PAGE = Path(__file__).parent.parent / "docs" / "architecture.md"
TYPES = {"person:a": "person", "person:b": "person", "person:c": "person", "org:a": "organization",
         "org:b": "organization", "place:tehran": "place", "place:beirut": "place", "place:sanaa": "place",
         "place:iran": "place", "event:x": "event", "candidate:person:x": "person", "candidate:org:y": "organization"}
BROAD = frozenset({"place:iran"})
T0 = datetime(2024, 5, 20, 8, tzinfo=UTC)


def documented() -> dict[str, float]:
    """The parameter table between the story-params markers."""
    text = PAGE.read_text(encoding="utf-8")
    block = re.search(r"<!-- story-params -->(.*?)<!-- /story-params -->", text, re.S)
    assert block, "docs/architecture.md lost its story parameter table"
    return {name: float(value) for name, value in re.findall(r"\| `([^`]+)` \| ([0-9.]+) \|", block.group(1))}


def test_every_parameter_is_documented_with_its_value() -> None:
    table = documented()
    code = {f.name: float(getattr(StoryParams(), f.name)) for f in dataclasses.fields(StoryParams)}
    code |= {f'ACTOR_WEIGHTS["{kind}"]': weight for kind, weight in ACTOR_WEIGHTS.items()}
    assert table == code


def _documented_score(a: Post, b: Post, informative: dict[str, float]) -> float:
    """The formula of docs/architecture.md, with the documented values, written independently of the code."""
    d = documented()
    hours = abs((a.posted_at - b.posted_at).total_seconds()) / 3600
    if hours > d["window_hours"]:
        return 0.0
    cos = float(np.dot(a.embedding, b.embedding))
    similarity = min(1.0, max(0.0, (cos - d["cos_floor"]) / d["cos_span"]))
    ids_a, ids_b = {m.entity_id for m in a.mentions}, {m.entity_id for m in b.mentions}
    shared = ids_a & ids_b
    total_ids = {i for i in ids_a | ids_b if not i.startswith("candidate:")} | shared
    if a.lang and a.lang == b.lang:  # same language: a candidate only one post names counts unless the other
        for one, other, other_ids in ((a, b, ids_b), (b, a, ids_a)):  # post's text holds it as written
            total_ids |= {m.entity_id for m in one.mentions if m.entity_id.startswith("candidate:") and m.start >= 0
                          and m.entity_id not in other_ids and m.surface.casefold() not in other.text.casefold()}
    weight = {kind: d[f'ACTOR_WEIGHTS["{kind}"]'] for kind in ("person", "organization")}
    total = max(sum(weight.get(TYPES[i], 0.0) for i in total_ids), d["actor_floor"])
    actors = sum(weight.get(TYPES[i], 0.0) * informative.get(i, 1.0) for i in shared) / total
    closeness = 0.5 ** (hours / d["half_life_hours"])
    places_a = {i for i in ids_a if TYPES[i] == "place" and i not in BROAD}
    places_b = {i for i in ids_b if TYPES[i] == "place" and i not in BROAD}
    place = 0.0
    if places_a and places_b:
        place = d["place_agree"] if places_a & places_b else -d["place_conflict"]
    own = d["same_source"] if a.source.key == b.source.key else 0.0
    return d["w_similarity"] * similarity + d["w_actors"] * actors + d["w_time"] * closeness + place - own


def _pair(seed: int) -> tuple[Post, Post, dict[str, float]]:
    rng = np.random.default_rng(seed)
    cos = float(rng.uniform(0.7, 1.0))
    e1, e2 = np.zeros(8, dtype=np.float32), np.zeros(8, dtype=np.float32)
    e1[0], e2[0], e2[1] = 1.0, cos, math.sqrt(1 - cos * cos)
    ids = sorted(TYPES)
    surfaces = ["name", "Talks", "meeting", "Salim"]  # two of them are words of one of the texts
    def mentions(chosen: set[str]) -> list[Mention]:
        return [Mention(i, str(rng.choice(surfaces)), int(rng.choice([0, -1])), 4) for i in sorted(chosen)]
    first = {str(i) for i in rng.choice(ids, size=int(rng.integers(0, 6)), replace=False)}
    second = {str(i) for i in rng.choice(ids, size=int(rng.integers(0, 6)), replace=False)}
    second |= {i for i in sorted(first) if rng.random() < 0.5}  # the second post names some of the first's too
    langs = [None, "en", "ar"]
    sources = [Source(key="telegram:one", name="One"), Source(key="telegram:two", name="Two")]
    a = Post(id=1, source=sources[0], message_id=1, posted_at=T0, text="Report of a meeting in the capital.",
             mentions=mentions(first), embedding=e1, lang=langs[int(rng.integers(0, 3))])
    b = Post(id=2, source=sources[int(rng.integers(0, 2))], message_id=2,
             posted_at=T0 + timedelta(hours=float(rng.uniform(0, 80))), text="A statement on talks held on Monday.",
             mentions=mentions(second), embedding=e2, lang=langs[int(rng.integers(0, 3))])
    informative = {str(i): float(rng.uniform(0, 1)) for i in rng.choice(ids, size=3, replace=False)}
    return a, b, informative


@pytest.mark.parametrize("seed", range(300))
def test_the_documented_formula_is_pair_score(seed: int) -> None:
    a, b, informative = _pair(seed)
    assert pair_score(a, b, TYPES, StoryParams(), BROAD, informative) == pytest.approx(
        _documented_score(a, b, informative), abs=1e-9)


@pytest.mark.parametrize(("posts", "naming"), [(19, 19), (20, 5), (20, 6), (40, 20), (40, 40), (100, 37)])
def test_common_actors_are_damped_as_documented(posts: int, naming: int) -> None:
    """Weight 1 up to common_share of the nearby posts (20 of them at least), then linear to 0 at all of them."""
    d = documented()
    source = Source(key="telegram:one")
    batch = [Post(id=n, source=source, message_id=n, posted_at=T0, text="x",
                  mentions=[Mention("org:a", "name", 0, 1)] if n < naming else []) for n in range(posts)]
    share = naming / posts
    expected = 1.0 if posts < 20 or share <= d["common_share"] else (1 - share) / (1 - d["common_share"])
    assert informativeness(batch, StoryParams()).get("org:a", 1.0) == pytest.approx(expected)


def test_settings_defaults_match_the_documented_window_and_threshold() -> None:
    from watchfloor.settings import SETTINGS

    defaults = {s.name: float(s.default) for s in SETTINGS if s.name in ("story_window_hours", "story_threshold")}
    table = documented()
    assert defaults == {"story_window_hours": table["window_hours"], "story_threshold": table["threshold"]}
