"""Story placement as the archive grows: the cost per post of placing new posts in stories, at 100k to 1M posts.

    python bench/placement_scale.py [--posts 1000000] [--checkpoints 100000,250000,500000,1000000]
        [--batches 5] [--postgres URL] [--no-sqlite] [--work /tmp/wf-place14]

The archive is ``make_archive.plan_archive``'s (2,000 channels, events reported by 1 to 10 channels within hours,
two years, so a constant posting rate: 1M posts is about 1,370 a day), written straight into the database as
processed posts, in time order, a chunk a transaction: the text and raw message ``make_archive`` would export,
the knowledge-base entities its wording names as mentions, and a synthetic 384-float unit embedding (E5-small's
size) per post: a direction every post shares, its event's centroid and noise, so that two reports of one event
have cosines of about 0.85-0.95 and unrelated posts about 0.80, as E5's do. Each post is placed in its true
story (``story_posts``), as if processed earlier. Running the embedding model on a million posts would take
half a day; placement needs only what the stages leave.

At each checkpoint N the archive holds the N - B oldest posts placed and the next B = batches x batch_size posts
stored unplaced; these are placed a batch at a time as ``engine/driver.py``'s ``write_batch`` does, each step
timed: the context load (``store.stories.context_posts``), the scoring (``pipeline.stories.assign_stories``), the
writing (``store.stories.apply_assignments`` and the commit). Then the archive grows to the next checkpoint.
Reported per checkpoint: p50 ms per post of the whole and of each step over the batches, of this process's CPU
time (steadier than wall time on a shared machine; PostgreSQL's own work is not in it), the context size, and
how often a post joined its true story (a check that the synthetic embeddings behave).

SQLite files go under ``--work`` and are deleted at the end; ``--postgres`` names a database kept for benchmarks
(its public schema is dropped and made again).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from bench_db import empty_postgres
from make_archive import MORE, TEMPLATES, TOPICS, WEEKDAYS, ArchivePlan, _message, plan_archive

from watchfloor import runner
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Entity, Mention, Post, Source
from watchfloor.pipeline.names import CandidateTypes
from watchfloor.pipeline.stories import StoryParams, assign_stories
from watchfloor.settings import load_settings
from watchfloor.store import kb as kb_store
from watchfloor.store import stories as story_store
from watchfloor.store.tables import sources, stories

DIM = 384  # multilingual-e5-small's vectors (pipeline/embed.py)
SHARED, NOISE = 0.80, (0.05, 0.15)  # squared weights: the common direction, the post's own noise
CHUNK = 20_000
STAGES = json.dumps({"bench": "placement_scale"})
ENTITIES = {e.id: e for e in load_entities()}


@dataclass(frozen=True)
class Planned:
    """One post of the archive, light enough to hold a million: what ``rows`` renders it from."""

    moment: int
    channel: int
    message_id: int
    event: int
    lang: str
    variant: int
    pick: float
    forwards: int
    shape: int  # seed of the message's shape (bold lead, photo, edit, reply)


def timeline(plan: ArchivePlan) -> list[Planned]:
    """Every planned post in time order (ids follow it)."""
    found = []
    for channel, items in zip(plan.outlets, plan.planned, strict=True):
        shape = random.Random(channel.index)
        for number, (moment, event, lang, variant, pick, forwards) in enumerate(sorted(items)):
            found.append(Planned(moment, channel.index, number + 2, event, lang, variant, pick, forwards,
                                 shape.randrange(2**32)))
    found.sort(key=lambda p: (p.moment, p.channel, p.message_id))
    return found


class Embeddings:
    """Synthetic unit vectors: one direction every post shares (E5's cosines are compressed), the event's centroid
    and the post's noise, so that same-event cosines are about 0.85-0.95 and unrelated ones about 0.80."""

    def __init__(self, plan: ArchivePlan, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.shared = self._unit(self.rng.standard_normal(DIM))
        self.centroids: dict[int, np.ndarray] = {}
        self.plan = plan

    @staticmethod
    def _unit(vectors: np.ndarray) -> np.ndarray:
        unit: np.ndarray = vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)
        return unit

    def vectors(self, events: Sequence[int], now: int) -> np.ndarray:
        """One vector per post, the posts of one event around one centroid."""
        new = [e for e in dict.fromkeys(events) if e not in self.centroids]
        if new:
            for event, centroid in zip(new, self._unit(self.rng.standard_normal((len(new), DIM))), strict=True):
                self.centroids[event] = centroid
        noise = self._unit(self.rng.standard_normal((len(events), DIM)))
        own = self.rng.uniform(*NOISE, size=(len(events), 1))
        centre = np.stack([self.centroids[e] for e in events])
        mixed = np.sqrt(SHARED) * self.shared + np.sqrt(1 - SHARED - own) * centre + np.sqrt(own) * noise
        for event in [e for e in self.centroids if self.plan.events[e].at < now - 7 * 3600]:
            del self.centroids[event]  # an event's reports come within 6 hours of its first
        return self._unit(mixed).astype(np.float32)


COLUMNS = ("id", "source_id", "message_id", "kind", "posted_at", "text", "forwarded_from", "reply_to", "links",
           "media", "raw", "content_hash", "imported_at", "updated_at", "lang", "quotes", "dates", "indicators",
           "embedding", "stages", "processed_at")
MENTION_COLUMNS = ("post_id", "entity_id", "surface", "span_start", "span_end", "score")


@functools.cache
def _names(entity_id: str, lang: str) -> list[str]:
    return [str(a.text) for a in ENTITIES[entity_id].aliases if a.lang == lang]


def _alias(entity: Entity, lang: str, pick: float) -> str:
    """make_archive's ``_alias``, its look-up cached (it is a tenth of the writing time)."""
    names = _names(entity.id, lang)
    if len(names) == 1 or pick < 0.75:
        return names[0]
    return names[1 + int((pick - 0.75) / 0.25 * (len(names) - 1))]


def _flat(text: Any) -> str:
    return text if isinstance(text, str) else "".join(p if isinstance(p, str) else p["text"] for p in text)


def _when(moment: datetime, dialect: str) -> Any:
    """As SQLAlchemy writes a UTC datetime: naive text on SQLite, the aware datetime for psycopg."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else moment


def rows(plan: ArchivePlan, line: Sequence[Planned], start: int, stop: int, embed: Embeddings, dialect: str
         ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[Post]]:
    """The posts rows (``COLUMNS``, JSON as text), their mentions' rows and the posts as the stages leave them,
    for ``line[start:stop]`` (post id = position + 1, source id = channel index + 1)."""
    now = _when(datetime.now(UTC), dialect)
    vectors = embed.vectors([p.event for p in line[start:stop]], line[stop - 1].moment)
    post_rows, mention_rows, analysed = [], [], []
    for offset, planned in enumerate(line[start:stop]):
        event = plan.events[planned.event]
        channel = plan.outlets[planned.channel]
        lang = planned.lang
        named_in: dict[str, str] = {f: _alias(e, lang, (planned.pick * (7 + i)) % 1.0)
                                    for i, (f, e) in enumerate(event.names.items())}
        wording = TEMPLATES[event.kind][lang][planned.variant % len(TEMPLATES[event.kind][lang])]
        text = wording.format(**named_in, day=WEEKDAYS[lang][datetime.fromtimestamp(event.at, UTC).weekday()],
                              topic=TOPICS[lang][event.topic])
        text = text + MORE[lang] if planned.variant % 3 == 2 else text  # make_archive.render, its names cached
        forwarded = plan.outlets[planned.forwards].name if planned.forwards >= 0 else None
        raw = _message(channel, planned.message_id, planned.moment, text, random.Random(planned.shape),
                       planned.message_id - 1, forwarded, _alias(event.names["place"], lang, 0.0))
        text = _flat(raw["text"])
        post_id = start + offset + 1
        posted = datetime.fromtimestamp(planned.moment, UTC)
        named = {}
        for field, entity in event.names.items():
            at = text.find(named_in[field])
            if "{" + field + "}" in wording and at >= 0:
                named[entity.id] = Mention(entity.id, named_in[field], at, at + len(named_in[field]))
        embedding = vectors[offset]
        post_rows.append((post_id, planned.channel + 1, planned.message_id, "message", _when(posted, dialect), text,
                          forwarded, raw.get("reply_to_message_id"), "[]", "[]",
                          json.dumps(raw, ensure_ascii=False), f"bench{post_id}", now, now, lang, "[]", "[]", "[]",
                          embedding.tobytes(), STAGES, now))
        mention_rows += [(post_id, m.entity_id, m.surface, m.start, m.end, 1.0) for m in named.values()]
        source = Source(key=f"telegram:{channel.channel_id}", channel_id=channel.channel_id, name=channel.name)
        analysed.append(Post(id=post_id, source=source, message_id=planned.message_id, posted_at=posted, text=text,
                             forwarded_from=forwarded, lang=lang, mentions=list(named.values()),
                             embedding=embedding))
    return post_rows, mention_rows, analysed


def prepare(engine: sa.Engine, plan: ArchivePlan) -> None:
    """The sources and every event's story row (story id = event index + 1), before any post."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(sources.insert(), [{"id": c.index + 1, "key": f"telegram:{c.channel_id}", "platform": "telegram",
                                         "channel_id": c.channel_id, "name": c.name, "tags": [], "created_at": now}
                                        for c in plan.outlets])
        for first in range(0, len(plan.events), CHUNK):
            conn.execute(stories.insert(), [
                {"id": i + 1, "title": f"event {i}", "first_seen": datetime.fromtimestamp(e.at, UTC),
                 "last_seen": datetime.fromtimestamp(e.at, UTC), "updated_at": now}
                for i, e in enumerate(plan.events[first:first + CHUNK], start=first)])
        _bump_sequences(conn)


def _bump_sequences(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":  # rows written with their ids leave the sequences behind
        for table in ("sources", "stories", "posts"):
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def _write(conn: sa.Connection, table: str, columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
    """Rows in bulk: one executemany (SQLite), one COPY (PostgreSQL)."""
    if not values:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             values)
        return
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def grow(engine: sa.Engine, plan: ArchivePlan, line: Sequence[Planned], start: int, stop: int, embed: Embeddings,
         placed: bool) -> list[Post]:
    """Write ``line[start:stop]`` a chunk a transaction; ``placed``: each in its true story. The posts."""
    analysed: list[Post] = []
    for first in range(start, stop, CHUNK):
        post_rows, mention_rows, chunk = rows(plan, line, first, min(first + CHUNK, stop), embed,
                                              engine.dialect.name)
        with engine.begin() as conn:
            _write(conn, "posts", COLUMNS, post_rows)
            _write(conn, "mentions", MENTION_COLUMNS, mention_rows)
            if placed:
                _write(conn, "story_posts", ("post_id", "story_id"), [(p.id, line[p.id - 1].event + 1)
                                                                      for p in chunk])
            _bump_sequences(conn)
        analysed += [] if placed else chunk
    return analysed


@dataclass
class Placement:
    """What placing one batch took."""

    context: float
    scoring: float
    writing: float
    pool: int
    cpu: float  # this process's CPU seconds: steadier than wall time on a shared machine (not the server's)


def place(engine: sa.Engine, batch: list[Post], types: CandidateTypes, params: StoryParams,
          broad: frozenset[str]) -> Placement:
    """``write_batch``'s placement (engine/driver.py), each step timed."""
    started, cpu = time.perf_counter(), time.process_time()
    with engine.begin() as conn:
        batch_ids = {p.id for p in batch}
        context = [p for p in story_store.context_posts(conn, min(p.posted_at for p in batch),
                                                         max(p.posted_at for p in batch),
                                                         timedelta(hours=params.window_hours))
                   if p.id not in batch_ids]
        loaded = time.perf_counter()
        assignments = assign_stories(batch, context, types, params, broad)
        scored = time.perf_counter()
        story_store.apply_assignments(conn, assignments)
    written = time.perf_counter()
    return Placement(loaded - started, scored - loaded, written - scored, len(context), time.process_time() - cpu)


def _p50_ms(values: list[float], posts_in_batch: int) -> float:
    return round(statistics.median(values) * 1000 / posts_in_batch, 2)


def measure(label: str, url: str, plan: ArchivePlan, line: list[Planned], checkpoints: list[int], batches: int,
            seed: int) -> list[dict[str, Any]]:
    """Grow the archive through the checkpoints; at each, place ``batches`` batches and time them."""
    settings = load_settings()
    size = int(settings.number("batch_size"))
    params = StoryParams(window_hours=settings.number("story_window_hours"),
                         threshold=settings.number("story_threshold"))
    engine = runner.open_store(url, migrate=True)
    runner.init_store(engine)
    with engine.connect() as conn:
        entities = kb_store.load_kb(conn)
    types = CandidateTypes(Gazetteer(entities).types())
    broad = frozenset(e.id for e in entities if e.type == "place" and e.attrs.get("kind") == "country")
    prepare(engine, plan)
    embed = Embeddings(plan, seed)
    results = []
    held = 0
    for checkpoint in checkpoints:
        started = time.perf_counter()
        grow(engine, plan, line, held, checkpoint - batches * size, embed, placed=True)
        new = grow(engine, plan, line, checkpoint - batches * size, checkpoint, embed, placed=False)
        if label == "postgresql":
            with engine.begin() as conn:  # as autovacuum would, some time after a bulk load
                conn.execute(sa.text("ANALYZE"))
        loading = time.perf_counter() - started
        held = checkpoint
        timings = [place(engine, new[i:i + size], types, params, broad) for i in range(0, len(new), size)]
        earlier = {planned.event for planned in line[:checkpoint - batches * size]}
        joined = [p.story_id == line[p.id - 1].event + 1 for p in new if line[p.id - 1].event in earlier]
        whole = [t.context + t.scoring + t.writing for t in timings]
        result = {"database": label, "posts": checkpoint, "days": round((line[checkpoint - 1].moment - plan.first)
                                                                        / 86400),
                  "ms_per_post_p50": _p50_ms(whole, size),
                  "context_ms_per_post": _p50_ms([t.context for t in timings], size),
                  "scoring_ms_per_post": _p50_ms([t.scoring for t in timings], size),
                  "writing_ms_per_post": _p50_ms([t.writing for t in timings], size),
                  "cpu_ms_per_post": _p50_ms([t.cpu for t in timings], size),
                  "context_posts_p50": statistics.median(t.pool for t in timings),
                  "joined_true_story": f"{sum(joined)}/{len(joined)}", "load_s": round(loading, 1)}
        print(json.dumps(result), file=sys.stderr, flush=True)
        results.append(result)
    engine.dispose()
    return results


def cosines(plan: ArchivePlan, line: list[Planned], seed: int) -> dict[str, float]:
    """Mean and spread of the synthetic cosines, same event against unrelated, over the first 20,000 posts."""
    vectors = Embeddings(plan, seed).vectors([p.event for p in line[:20_000]], line[19_999].moment)
    events = np.array([p.event for p in line[:20_000]])
    pick = np.random.default_rng(0).integers(0, 20_000, size=(4000, 2))
    same = [(a, b) for a, b in _pairs_of_one_event(events)][:4000]
    found = {}
    for name, pairs in (("same event", same), ("unrelated", [(a, b) for a, b in pick if events[a] != events[b]])):
        values = np.array([float(vectors[a] @ vectors[b]) for a, b in pairs])
        found[f"{name} p5"] = round(float(np.percentile(values, 5)), 3)
        found[f"{name} p50"] = round(float(np.median(values)), 3)
        found[f"{name} p95"] = round(float(np.percentile(values, 95)), 3)
    return found


def _pairs_of_one_event(events: np.ndarray) -> Iterator[tuple[int, int]]:
    first: dict[int, int] = {}
    for i, event in enumerate(events.tolist()):
        if event in first:
            yield first[event], i
        else:
            first[event] = i


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000, help="the archive's size at the end")
    parser.add_argument("--channels", type=int, default=2_000)
    parser.add_argument("--checkpoints", default="100000,250000,500000,1000000")
    parser.add_argument("--batches", type=int, default=5, help="batches placed and timed at each checkpoint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", help="a database kept for benchmarks: its public schema is dropped")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp/wf-place14"), help="where the SQLite file goes")
    args = parser.parse_args()
    checkpoints = [int(c) for c in args.checkpoints.split(",")]
    started = time.perf_counter()
    plan = plan_archive(args.posts, args.channels, args.seed)
    line = timeline(plan)
    print(json.dumps({"planned_s": round(time.perf_counter() - started, 1), "posts": len(line),
                      **cosines(plan, line, args.seed)}), file=sys.stderr, flush=True)
    results = []
    if not args.no_sqlite:
        args.work.mkdir(parents=True, exist_ok=True)
        target = args.work / "placement.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        try:
            results += measure("sqlite", f"sqlite:///{target}", plan, line, checkpoints, args.batches, args.seed)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
    if args.postgres:
        results += measure("postgresql", empty_postgres(args.postgres), plan, line, checkpoints, args.batches,
                           args.seed)
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
