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


def _unshared_candidates(a: Post, b: Post, one_sided: set[str]) -> set[str]:
    """The candidates among ``one_sided`` (named by one post only) that a post names in its own text while the other,
    in the same language, does not hold them in any spelling the first used (a name found only in a post's machine
    translation, with no span in it, is left out)."""
    if not a.lang or a.lang != b.lang:
        return set()
    found = set()
    for one, other in ((a, b), (b, a)):
        text = other.text.casefold()
        found |= {m.entity_id for m in one.mentions if m.entity_id in one_sided and m.entity_id.startswith("candidate:")
                  and m.start >= 0 and m.surface.casefold() not in text}
    return found


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
    union_ids = {i for i in ids_a | ids_b if not i.startswith("candidate:")} | shared | _unshared_candidates(
        a, b, ids_a ^ ids_b)
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


class _Pool:
    """The posts a new post is scored against, with what bounds a pair's score held in arrays, so that the pairs
    that cannot beat the threshold are set aside together instead of being scored one by one.

    A pair scores at most ``w_similarity × similarity + w_actors × actors + w_time × closeness + place − own``
    with similarity from the pool's embeddings (a margin covers float32 rounding), ``place`` and ``own`` exact,
    and ``actors`` at most the weight of the shared actors over the new post's own known actors (the union the
    score divides by holds them all). A pair whose bound is not above the threshold, more hours apart than the
    window or not sharing the verbatim text cannot become the best, so only the others are scored by
    ``pair_score``, in pool order: the result is the plain loop's."""

    def __init__(self, posts: Sequence[Post], capacity: int, dim: int, types: Mapping[str, str],
                 broad_places: frozenset[str]) -> None:
        self.posts: list[Post] = []
        self.types, self.broad_places = types, broad_places
        self.vectors = np.zeros((capacity, dim), dtype=np.float32)
        self.norms = np.zeros(capacity)
        self.seconds = np.zeros(capacity)
        self.sources = np.zeros(capacity, dtype=np.int64)
        self.has_place = np.zeros(capacity, dtype=bool)
        self.source_codes: dict[str, int] = {}
        self.naming: dict[str, list[int]] = {}  # actor or specific place -> positions of the posts naming it
        self.texts: dict[str, list[int]] = {}
        for post in posts:
            self.add(post)

    def _counted(self, post: Post) -> tuple[set[str], set[str]]:
        ids = {m.entity_id for m in post.mentions}
        places = {i for i in ids if self.types.get(i) == "place" and i not in self.broad_places}
        return {i for i in ids if ACTOR_WEIGHTS.get(self.types.get(i, ""), 0.0) > 0}, places

    def add(self, post: Post) -> None:
        """Append a post (its place in the pool is its position)."""
        at = len(self.posts)
        self.posts.append(post)
        if post.embedding is not None:
            self.vectors[at] = post.embedding
            self.norms[at] = float(np.linalg.norm(np.asarray(post.embedding, dtype=np.float64)))
        self.seconds[at] = post.posted_at.timestamp()
        self.sources[at] = self.source_codes.setdefault(post.source.key, len(self.source_codes))
        actors, places = self._counted(post)
        self.has_place[at] = bool(places)
        for entity_id in actors | places:
            self.naming.setdefault(entity_id, []).append(at)
        self.texts.setdefault(_norm_text(post.text), []).append(at)

    def candidates(self, post: Post, params: StoryParams, informative: Mapping[str, float]) -> list[Post]:
        """The pool's posts whose pair with ``post`` may score above the threshold, in pool order."""
        size = len(self.posts)
        hours = np.abs(self.seconds[:size] - post.posted_at.timestamp()) / 3600
        bound = params.w_time * 0.5 ** (hours / params.half_life_hours)
        if post.embedding is not None:
            vector = np.asarray(post.embedding, dtype=np.float32)
            norm = float(np.linalg.norm(vector.astype(np.float64)))
            slack = 4 * len(vector) * 2.0 ** -24 * norm * self.norms[:size]  # float32 dot products may differ
            cos = self.vectors[:size] @ vector + slack
            bound += params.w_similarity * np.clip((cos - params.cos_floor) / params.cos_span, 0.0, 1.0)
        actors, places = self._counted(post)
        shared = np.zeros(size)
        extra = np.zeros(size)  # candidates both name: in the union only when shared
        for entity_id in actors:
            weight = ACTOR_WEIGHTS[self.types[entity_id]]
            at = self.naming.get(entity_id, [])
            shared[at] += weight * informative.get(entity_id, 1.0)
            if entity_id.startswith("candidate:"):
                extra[at] += weight
        own = _weighted({i for i in actors if not i.startswith("candidate:")}, self.types)
        bound += params.w_actors * shared / np.maximum(own + extra, params.actor_floor)
        if places:
            agree = np.zeros(size, dtype=bool)
            for entity_id in places:
                agree[self.naming.get(entity_id, [])] = True
            bound += np.where(self.has_place[:size], np.where(agree, params.place_agree, -params.place_conflict), 0)
        bound -= np.where(self.sources[:size] == self.source_codes.get(post.source.key, -1), params.same_source, 0)
        keep = bound > params.threshold - 1e-9
        if post.text.strip():
            keep[self.texts.get(_norm_text(post.text), [])] = True
        keep &= hours <= params.window_hours + 1e-6
        return [self.posts[i] for i in np.flatnonzero(keep)]


def _prunable(pool: Sequence[Post], new: Sequence[Post], params: StoryParams) -> int:
    """The embeddings' dimension when the pool's bounds hold (no negative weight or threshold, one dimension),
    else 0: then every pair is scored."""
    dims = {len(p.embedding) for p in [*pool, *new] if p.embedding is not None}
    if (len(dims) > 1 or min(params.cos_span, params.half_life_hours, params.actor_floor) <= 0
            or min(params.threshold, params.w_similarity, params.w_actors, params.w_time, *ACTOR_WEIGHTS.values()) < 0):
        return 0
    return dims.pop() if dims else 1


def assign_stories(new: Sequence[Post], context: Sequence[Post], types: Mapping[str, str],
                   params: StoryParams | None = None, broad_places: frozenset[str] = frozenset()) -> dict[int, int]:
    """Story for each new post: an existing story id (positive), or a new story (negative, shared by
    the new posts that belong together). ``context`` holds nearby posts that already have a story."""
    params = params or StoryParams()
    assigned: dict[int, int] = {}
    pool: list[Post] = [p for p in context if p.story_id is not None]
    informative = informativeness([*pool, *new], params)
    dim = _prunable(pool, new, params)
    arrays = _Pool(pool, len(pool) + len(new), dim, types, broad_places) if dim else None
    next_new = -1
    for post in sorted(new, key=lambda p: (p.posted_at, p.id)):
        if post.kind != "message" or not post.text.strip():
            continue
        target = _forward_target(post, pool)
        best_story: int | None = target.story_id if target is not None else None
        if best_story is None:
            best = params.threshold
            for other in (arrays.candidates(post, params, informative) if arrays is not None else pool):
                score = pair_score(post, other, types, params, broad_places, informative)
                if score > best:
                    best, best_story = score, other.story_id
        if best_story is None:
            best_story = next_new
            next_new -= 1
        post.story_id = best_story
        assigned[post.id] = best_story
        pool.append(post)
        if arrays is not None:
            arrays.add(post)
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
