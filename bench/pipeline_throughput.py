"""Per-stage pipeline throughput (posts/s) on the bundled sample posts, repeated to a few hundred.

    python bench/pipeline_throughput.py [--posts 400]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from copy import deepcopy
from datetime import UTC, datetime, timedelta

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Post, Source
from watchfloor.pipeline.stories import assign_stories
from watchfloor.runner import build_stages, sample_exports
from watchfloor.sources.telegram_reader import read_export


def sample_posts(count: int) -> list[Post]:
    """Sample posts as pipeline input, repeated (with new ids and later dates) up to `count`."""
    base: list[Post] = []
    for chat in read_export(sample_exports()):
        source = Source(key=f"telegram:{chat.channel_id}", channel_id=chat.channel_id, name=chat.name)
        for parsed in chat.posts:
            if parsed.kind == "message" and parsed.text.strip():
                base.append(Post(id=0, source=source, message_id=parsed.message_id, posted_at=parsed.posted_at,
                                 text=parsed.text, links=list(parsed.links)))
    posts = []
    for i in range(count):
        post = deepcopy(base[i % len(base)])
        post.id = i + 1
        post.posted_at = post.posted_at + timedelta(days=10 * (i // len(base)))
        posts.append(post)
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    gazetteer = Gazetteer(load_entities())
    stages = build_stages(gazetteer)
    posts = sample_posts(args.posts)
    timings: dict[str, float] = {}
    for stage in stages:
        start = time.perf_counter()
        for i in range(0, len(posts), args.batch):
            stage.run(posts[i:i + args.batch])
        timings[stage.name] = time.perf_counter() - start
    start = time.perf_counter()
    assign_stories(posts, [], gazetteer.types())
    timings["stories"] = time.perf_counter() - start
    result = {"posts": len(posts), "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "posts_per_s": {name: round(len(posts) / s) if s > 0 else None for name, s in timings.items()},
              "all_stages_posts_per_s": round(len(posts) / sum(timings.values()))}
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
