"""Placement sets aside, in bulk, the pairs that cannot score above the threshold (pipeline/stories.py ``_Pool``):
on many randomized pools it gives exactly the assignments of the plain loop that scores every pair."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchfloor.models import Mention, Post, Source
from watchfloor.pipeline import stories
from watchfloor.pipeline.stories import StoryParams, assign_stories, informativeness, pair_score

T0 = datetime(2024, 5, 1, tzinfo=UTC)
TYPES = {"person:a": "person", "person:b": "person", "person:c": "person", "org:x": "organization",
         "org:y": "organization", "place:tehran": "place", "place:beirut": "place", "place:iran": "place",
         "outlet:wire": "outlet", "candidate:person:someone": "person", "candidate:place:village": "place"}
BROAD = frozenset({"place:iran"})
WORDS = ["met", "talks", "in", "strike", "near", "statement", "the", "visit", "Tehran", "Beirut"]


def plain_assign(new: Sequence[Post], context: Sequence[Post], types: Mapping[str, str], params: StoryParams,
                 broad_places: frozenset[str]) -> dict[int, int]:
    """The placement loop as it was before the pool's bounds: every pair scored by ``pair_score``."""
    assigned: dict[int, int] = {}
    pool: list[Post] = [p for p in context if p.story_id is not None]
    informative = informativeness([*pool, *new], params)
    next_new = -1
    for post in sorted(new, key=lambda p: (p.posted_at, p.id)):
        if post.kind != "message" or not post.text.strip():
            continue
        target = stories._forward_target(post, pool)
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


def _case(seed: int, size: int, dim: int) -> tuple[list[Post], list[Post]]:
    """A context of placed posts and a batch of new ones: events around centroids (cosines near the floor and
    above it), shared and lone names, channels that repeat, times in and out of the window, copied texts."""
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal(dim)
    centroids = rng.standard_normal((max(size // 3, 1), dim))
    channels = [Source(key=f"telegram:{i}", channel_id=i, name=f"Channel {i}") for i in range(4)]
    posts: list[Post] = []
    for i in range(size):
        event = int(rng.integers(len(centroids)))
        noise = rng.standard_normal(dim) * rng.uniform(0.2, 1)
        vector = 2.0 * shared + centroids[event] * rng.uniform(0.2, 1.0) + noise
        embedding = None if rng.random() < 0.1 else (vector / np.linalg.norm(vector)).astype(np.float32)
        if embedding is not None and rng.random() < 0.05:
            embedding = embedding.astype(np.float64)
        ids = list(rng.choice(sorted(TYPES), size=int(rng.integers(0, 5)), replace=False))
        text = " ".join(rng.choice(WORDS, size=int(rng.integers(0, 4)))) + rng.choice(["", ".", "!", " "])
        source = channels[int(rng.integers(len(channels)))]
        forwarded = channels[int(rng.integers(len(channels)))].name if rng.random() < 0.1 else None
        posts.append(Post(id=i + 1, source=source, message_id=i + 1, text=text, forwarded_from=forwarded,
                          posted_at=T0 + timedelta(hours=float(rng.uniform(0, 200))),
                          kind="service" if rng.random() < 0.03 else "message",
                          mentions=[Mention(e, str(rng.choice([e, *WORDS[:4]])), 0, 1) for e in ids],
                          lang=[None, "en", "ar"][int(rng.integers(3))], embedding=embedding,
                          story_id=int(rng.integers(1, 6)) if rng.random() < 0.9 else None))
    cut = int(size * 0.7)
    return posts[:cut], [_unplaced(p) for p in posts[cut:]]


def _unplaced(post: Post) -> Post:
    found = copy.copy(post)
    found.story_id = None
    return found


params_strategy = st.builds(
    StoryParams,
    window_hours=st.sampled_from([12.0, 72.0, 300.0]),
    threshold=st.floats(0.0, 1.0),
    cos_floor=st.floats(0.5, 0.95),
    cos_span=st.sampled_from([0.05, 0.1, 0.3]),
    half_life_hours=st.sampled_from([1.0, 8.0, 48.0]),
    w_similarity=st.floats(0.0, 1.0),
    w_actors=st.floats(0.0, 1.0),
    w_time=st.floats(0.0, 0.5),
    place_agree=st.floats(-0.2, 0.3),
    place_conflict=st.floats(-0.2, 0.3),
    actor_floor=st.sampled_from([0.5, 1.0, 3.0]),  # 0 divides by zero in pair_score itself
    common_share=st.sampled_from([0.05, 0.25]),
    same_source=st.floats(-0.1, 0.3),
)


@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 80), dim=st.sampled_from([4, 16, 384]),
       params=params_strategy)
def test_pruned_placement_equals_scoring_every_pair(seed: int, size: int, dim: int, params: StoryParams) -> None:
    context, new = _case(seed, size, dim)
    expected = plain_assign(copy.deepcopy(new), copy.deepcopy(context), TYPES, params, BROAD)
    assert assign_stories(copy.deepcopy(new), copy.deepcopy(context), TYPES, params, BROAD) == expected


@pytest.mark.parametrize("seed", range(20))
def test_default_parameters_on_larger_pools(seed: int) -> None:
    context, new = _case(seed, 400, 384)
    expected = plain_assign(copy.deepcopy(new), copy.deepcopy(context), TYPES, StoryParams(), BROAD)
    assert assign_stories(copy.deepcopy(new), copy.deepcopy(context), TYPES, StoryParams(), BROAD) == expected


def test_the_bounds_set_most_pairs_aside() -> None:
    """Not a vacuous equality: on a pool of mostly unrelated posts, few pairs are scored one by one."""
    context, new = _case(7, 400, 384)
    pool = stories._Pool([p for p in context if p.story_id is not None], 400, 384, TYPES, BROAD)
    informative = informativeness(context, StoryParams())
    scored = [len(pool.candidates(post, StoryParams(), informative)) for post in new]
    assert sum(scored) < 0.5 * len(pool.posts) * len(new)
