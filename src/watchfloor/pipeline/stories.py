"""Stories: posts from different channels and languages that report the same event join one story.

A post joins the story whose closest post it matches best, where a match combines three signals,
because embedding similarity alone separates events poorly (E5 puts two different meetings of the
same people close together): calibrated cosine similarity, the people and organisations both posts
name, and the time between them. A forward of a post, or the same text re-posted, always joins it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from watchfloor.models import Post

__all__ = ["StoryParams", "pair_score", "assign_stories", "story_title", "ACTOR_WEIGHTS", "informativeness"]

# how much sharing an actor of each type says that two posts report the same event
ACTOR_WEIGHTS = {"person": 3.0, "organization": 1.5}


@dataclass(frozen=True)
class StoryParams:
    """Clustering parameters (docs/architecture.md says how they were chosen)."""

    window_hours: float = 72.0
    threshold: float = 0.5
    cos_floor: float = 0.80  # E5 cosines of unrelated news sit around 0.78-0.82
    cos_span: float = 0.10  # same-event paraphrases reach 0.85-0.93
    half_life_hours: float = 8.0  # reports of one event mostly come within hours of each other
    w_similarity: float = 0.35
    w_actors: float = 0.45
    w_time: float = 0.2
    place_agree: float = 0.1  # both name the same specific place
    place_conflict: float = 0.2  # both name specific places, none in common
    actor_floor: float = 3.0  # shared actors are measured against at least one person's weight
    common_share: float = 0.25  # an actor named by more than this share of nearby posts says little
    same_source: float = 0.15  # a channel seldom reports one event twice: its own posts need a closer match


def _weighted(ids: set[str], types: Mapping[str, str], informative: Mapping[str, float] | None = None) -> float:
    return sum(ACTOR_WEIGHTS.get(types.get(i, ""), 0.0) * (informative or {}).get(i, 1.0) for i in ids)


def informativeness(posts: Sequence[Post], params: StoryParams) -> dict[str, float]:
    """How much naming an actor tells about the event, from how many of the nearby posts name it: 1 up
    to ``common_share`` of them, then falling towards 0 (a channel's own army or party names itself in
    every post, and that says nothing about which event a post reports)."""
    counts: dict[str, int] = {}
    for post in posts:
        for entity_id in {m.entity_id for m in post.mentions}:
            counts[entity_id] = counts.get(entity_id, 0) + 1
    total = max(len(posts), 1)
    weights = {}
    for entity_id, count in counts.items():
        share = count / total
        if total >= 20 and share > params.common_share:
            weights[entity_id] = max(0.0, (1 - share) / (1 - params.common_share))
    return weights


def _norm_text(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def pair_score(a: Post, b: Post, types: Mapping[str, str], params: StoryParams,
               broad_places: frozenset[str] = frozenset(), informative: Mapping[str, float] | None = None) -> float:
    """How strongly two posts look like reports of one event (about 0..1; 1.0 for a verbatim copy).

    ``types`` maps entity ids to their type; ``broad_places`` are places too large to tell events
    apart (countries), which count neither for nor against."""
    hours = abs((a.posted_at - b.posted_at).total_seconds()) / 3600
    if hours > params.window_hours:
        return 0.0
    if a.text.strip() and _norm_text(a.text) == _norm_text(b.text):
        return 1.0
    similarity = 0.0
    if a.embedding is not None and b.embedding is not None:
        cos = float(np.dot(a.embedding, b.embedding))
        similarity = min(1.0, max(0.0, (cos - params.cos_floor) / params.cos_span))
    ids_a = {m.entity_id for m in a.mentions}
    ids_b = {m.entity_id for m in b.mentions}
    # a candidate (a name the knowledge base does not know) counts when both posts name it; one only one
    # post names is left out of the union, since the other may name it in a spelling not recognised
    shared = ids_a & ids_b
    union_ids = {i for i in ids_a | ids_b if not i.startswith("candidate:")} | shared
    union = max(_weighted(union_ids, types), params.actor_floor)
    actors = _weighted(shared, types, informative) / union
    places_a = {i for i in ids_a if types.get(i) == "place" and i not in broad_places}
    places_b = {i for i in ids_b if types.get(i) == "place" and i not in broad_places}
    place = 0.0
    if places_a and places_b:
        place = params.place_agree if places_a & places_b else -params.place_conflict
    closeness: float = 0.5 ** (hours / params.half_life_hours)
    own = params.same_source if a.source.key == b.source.key else 0.0
    return (params.w_similarity * similarity + params.w_actors * actors + params.w_time * closeness + place - own)


def _forward_target(post: Post, pool: Sequence[Post]) -> Post | None:
    if not post.forwarded_from:
        return None
    origin = post.forwarded_from.casefold()
    body = _norm_text(post.text)
    for other in pool:
        if other.source.name and other.source.name.casefold() == origin and _norm_text(other.text) == body:
            return other
    return None


def assign_stories(new: Sequence[Post], context: Sequence[Post], types: Mapping[str, str],
                   params: StoryParams | None = None, broad_places: frozenset[str] = frozenset()) -> dict[int, int]:
    """Story for each new post: an existing story id (positive), or a new story (negative, shared by
    the new posts that belong together). ``context`` holds nearby posts that already have a story."""
    params = params or StoryParams()
    assigned: dict[int, int] = {}
    pool: list[Post] = [p for p in context if p.story_id is not None]
    informative = informativeness([*pool, *new], params)
    next_new = -1
    for post in sorted(new, key=lambda p: (p.posted_at, p.id)):
        if post.kind != "message" or not post.text.strip():
            continue
        target = _forward_target(post, pool)
        best_story: int | None = target.story_id if target is not None else None
        if best_story is None:
            best = params.threshold
            for other in pool:
                score = pair_score(post, other, types, params, broad_places, informative)
                if score > best:
                    best, best_story = score, other.story_id
        if best_story is None:
            best_story = next_new
            next_new -= 1
        post.story_id = best_story
        assigned[post.id] = best_story
        pool.append(post)
    return assigned


def _first_sentence(text: str, limit: int = 140) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")), "")
    match = re.match(r"(.+?[.!?؟])(\s|$)", line)
    sentence = match.group(1) if match else line
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "…"
    return sentence


def story_title(posts: Sequence[Post], names: Mapping[str, str], types: Mapping[str, str]) -> str:
    """A headline: the first sentence of the earliest English report, else the entities it names."""
    ordered = sorted(posts, key=lambda p: (p.posted_at, p.id))
    for post in ordered:
        english = post.english()
        if english and english.strip():
            return _first_sentence(english)
    counts: dict[str, int] = {}
    for post in ordered:
        for mention in post.mentions:
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
    def top(kind: str, n: int) -> list[str]:
        ids = [i for i in sorted(counts, key=lambda i: -counts[i]) if types.get(i) == kind and i in names]
        return [names[i] for i in ids[:n]]
    actors = top("person", 3) or top("organization", 2)
    places = top("place", 1)
    if actors:
        return ", ".join(actors) + (f" in {places[0]}" if places else "") + " (untranslated)"
    return _first_sentence(ordered[0].text) if ordered else "Untitled story"
