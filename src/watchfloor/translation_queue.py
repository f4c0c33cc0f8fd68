"""The translation queue: which posts need English, in which order, and the worker that drains it.

``process`` never waits for a translation back-end: it stores the glossed original (the ``none`` back-end) and
calls ``enqueue``, which queues every non-English post whose translation is weaker than the back-end configured
for its language. A ``Worker`` claims the most urgent posts under a lease, translates them (the segment cache
means no text is translated twice), writes them unless an analyst's translation arrived meanwhile, and marks them
done. Priorities, highest first (docs/translation.md says why):

1. posts quoted in a report (their footnotes), whatever its state;
2. posts of stories told by several channels (more channels first);
3. posts that name a watched entity or match an active alert rule (or matched one);
4. the rest, newest first (newest first within every level too).

Priorities are worked out again whenever the facts they rest on change: before each claim the worker reads a
fingerprint of those facts (reports saved, stories grown, rules added or matched) and recomputes every queued
row's priority when it differs. So a draft saved in the web app, a story that gains a channel in ``process`` or a
rule added from the CLI reorders the queue within one claim, without any of those code paths knowing the queue.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from watchfloor.errors import NotFound
from watchfloor.models import Post
from watchfloor.pipeline.translate import glossary_for, text_hash
from watchfloor.settings import Settings, pairs
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store import queue as queue_store
from watchfloor.store.base import Connection, Engine, retrying
from watchfloor.store.human import HUMAN, save_machine, set_human
from watchfloor.store.translations import TranslationStore
from watchfloor.store.usage import UsageStore
from watchfloor.store.users import audit
from watchfloor.story_coding import recode_for_posts
from watchfloor.translate.base import LABELS, Translator
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.quoting import english_quote, quote_sentences
from watchfloor.translate.select import backend_for, configured_backends, default_backend, make_translator, ranks
from watchfloor.translation_priority import PRIORITY, fingerprint, reprioritise

__all__ = ["PRIORITY", "enqueue", "reprioritise", "fingerprint", "Worker", "WorkerReport", "queue_status",
           "needs_human_look", "save_human"]

log = logging.getLogger("watchfloor")
Progress = Callable[[int, int], None]

_SKIP = ("en", "und")


def _weak(settings: Settings, lang: str, translation: Mapping[str, Any] | None, text: str,
          rank: Mapping[str, int] | None = None) -> str | None:
    """The back-end a post should be translated by, or None when its translation is good enough."""
    stored = translation or {}
    if stored.get("backend") == HUMAN:
        return None
    backend = backend_for(settings, lang)
    rank = rank if rank is not None else ranks(settings)
    if backend == "none":
        return None
    if stored.get("source_sha") != text_hash(text) or not stored.get("backend"):
        return backend
    return backend if rank.get(str(stored.get("backend")), -1) < rank.get(backend, 0) else None


def enqueue(engine: Engine, settings: Settings, post_ids: Iterable[int] | None = None) -> int:
    """Queue the processed non-English posts that need a better English text (those of ``post_ids``, and every
    post whose translation a back-end configured now outranks); returns how many were queued."""
    rank = ranks(settings)
    best = max(rank.get(name, 0) for name in configured_backends(settings))
    weaker = [name for name, value in rank.items() if value < best]
    wanted: list[dict[str, Any]] = []
    seen: set[int] = set()
    with engine.connect() as conn:
        # queued and running rows stay as they are; a failed one waits for `translate run --retry-failed`,
        # unless another back-end is configured for its language now
        held = queue_store.held(conn)
        for row in queue_store.candidates(conn, _SKIP, weaker, list(post_ids or [])):
            if row.id in seen or not (row.text or "").strip():
                continue
            seen.add(row.id)
            want = _weak(settings, row.lang, row.translation, row.text or "", rank)
            stored = row.translation or {}
            if want is None and stored.get("backend") not in (None, "none", HUMAN) \
                    and backend_for(settings, row.lang) != "none" \
                    and any(q.get("text_en") is None for q in row.quotes or []):
                want = backend_for(settings, row.lang)  # the post is in English, its quotes not yet
            prior = held.get(row.id)
            if want is None or (prior is not None and (prior[0] != "failed" or prior[1] == want)):
                continue
            wanted.append({"post_id": row.id, "lang": row.lang, "backend": want, "posted_at": row.posted_at})
    with engine.begin() as conn:
        added = queue_store.upsert(conn, wanted)
        if added:
            reprioritise(conn)
    return added


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class WorkerReport:
    """What a worker did."""

    done: int = 0
    failed: int = 0
    segments: int = 0
    cached: int = 0
    released: int = 0  # rows taken back from workers that died
    errors: list[str] = field(default_factory=list)


class Worker:
    """Drains the queue: claims the most urgent posts, translates them, marks them done."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.host = socket.gethostname()
        self.owner = f"{self.host}:{os.getpid()}:{secrets.token_hex(4)}"
        self.lease = timedelta(seconds=settings.number("translate_lease_seconds"))
        self.attempts = int(settings.number("translate_attempts"))
        self.backoff = timedelta(seconds=settings.number("translate_retry_seconds"))
        self.batch = int(settings.number("translate_queue_batch"))
        self.cache = TranslationStore(engine)
        self.usage = UsageStore(engine)  # characters sent to each back-end (they cost money)
        self.translators: dict[str, Translator] = {}
        self.names: dict[str, str] | None = None
        self.facts: tuple[Any, ...] | None = None
        self.report = WorkerReport()

    def translator_for(self, lang: str) -> Translator:
        """The back-end configured for the language, set up once (NotConfigured when it cannot run here)."""
        backend = backend_for(self.settings, lang)
        key = f"{backend}:{lang}" if backend == "ctranslate2" else backend
        if key not in self.translators:
            translator = make_translator(backend, self.settings, lang)
            translator.setup()
            self.translators[key] = translator
        return self.translators[key]

    def _claim_size(self, lang: str) -> int:
        if self.batch > 0:
            return self.batch
        try:
            translator = self.translator_for(lang)
        except Exception:  # noqa: BLE001 (reported when the claimed posts are translated, and they fail)
            return 1
        # the local model takes seconds per sentence: one post per claim keeps what a crash loses small
        return 1 if translator.name == "llamacpp" else max(1, translator.max_batch)

    def reap(self) -> int:
        """Put back what workers on this machine that are no longer running held (their leases need not expire)."""
        with self.engine.begin() as conn:
            dead = []
            for owner in queue_store.running_owners(conn):
                host, _, rest = owner.partition(":")
                pid = rest.partition(":")[0]
                if host == self.host and owner != self.owner and pid.isdigit() and not _alive(int(pid)):
                    dead.append(owner)
            released = queue_store.release(conn, dead)
        self.report.released += released
        return released

    def _refresh_priorities(self, conn: Connection) -> None:
        now = fingerprint(conn)
        if now != self.facts:
            reprioritise(conn)
            self.facts = now

    def _retrying(self, work: Callable[[Connection], Any]) -> Any:
        """One short transaction, tried again when the database is busy (SQLite: another writer won the race)."""
        return retrying(self.engine, work)

    def step(self, only: Iterable[int] | None = None, cap: int | None = None) -> int:
        """Claim and translate one batch (at most ``cap`` posts); returns how many posts it handled (0: nothing
        was claimable)."""
        self._retrying(lambda conn: self._refresh_priorities(conn))
        claimed: list[queue_store.QueueItem] = self._retrying(
            lambda conn: queue_store.claim(conn, self.owner, self.lease,
                                           lambda lang: min(self._claim_size(lang), cap or 1_000_000), only))
        if not claimed:
            return 0
        lang = claimed[0].lang
        ids = [item.post_id for item in claimed]
        try:
            translator = self.translator_for(lang)
            batch, segments = self._translate(translator, ids, lang)
        except Exception as exc:  # a back-end error (a server gone, a model crash) fails these posts, not the worker
            message = f"{type(exc).__name__}: {exc}"
            log.warning("translation of %d %s post(s) failed: %s", len(ids), lang, message,
                        exc_info=not isinstance(exc, (OSError, ValueError)) and log.isEnabledFor(logging.DEBUG))
            self._retrying(lambda conn: queue_store.fail(conn, self.owner, ids, message, self.attempts, self.backoff))
            self.report.failed += len(ids)
            self.report.errors.append(message)
            return len(ids)
        def save(conn: Connection) -> int:
            save_machine(conn, batch)
            recode_for_posts(conn, [p.id for p in batch])  # a story's stances and type read the English
            return int(queue_store.finish(conn, self.owner, segments))

        self.report.done += self._retrying(save)
        return len(ids)

    def _translate(self, translator: Translator, ids: list[int], lang: str) -> tuple[list[Post], dict[int, int]]:
        with self.engine.connect() as conn:
            batch = post_store.load_posts(conn, ids)
            if self.names is None:
                self.names = {e.id: e.name for e in kb_store.load_kb(conn)}
            candidates = kb_store.entities_by_id(conn, {m.entity_id for p in batch for m in p.mentions})
        for post in batch:  # the romanised candidates the names stage linked are glossed too
            post.candidates = [e for e in candidates.values() if e.status == "candidate"
                               and any(m.entity_id == e.id for m in post.mentions)]
        segments: dict[int, int] = {post.id: 0 for post in batch}
        todo = [p for p in batch if (p.translation or {}).get("backend") != HUMAN]
        redo = [p for p in todo if _weak(self.settings, lang, p.translation, p.text) is not None]
        texts = [p.text for p in redo]
        glossaries = [glossary_for(p, self.names) for p in redo]
        # each quotation's English is taken from its sentence's translation (the same segments: no extra calls)
        quoted = [(p, indexes, sentence) for p in todo if translator.name != "none"
                  for sentence, indexes in quote_sentences(p.text, p.quotes)]
        texts += [sentence for _, _, sentence in quoted]
        glossaries += [glossary_for(p, self.names) for p, _, _ in quoted]
        results = translate_texts(translator, texts, lang, glossaries, self.cache, usage=self.usage) if texts else []
        for post, result in zip(redo, results, strict=False):
            post.text_en = result.text
            post.translation = {**result.record(), "source_sha": text_hash(post.text)}
            segments[post.id] = result.segments
            self.report.segments += result.segments - result.cached
            self.report.cached += result.cached
        for (post, indexes, _), result in zip(quoted, results[len(redo):], strict=True):
            for position, index in enumerate(indexes):  # "": tried, and the translation keeps no such span
                post.quotes[index].text_en = english_quote(result.text, position, len(indexes)) or ""
        return todo, segments

    def run(self, once: bool = False, limit: int | None = None, only: Iterable[int] | None = None,
            progress: Progress | None = None, idle_seconds: float = 2.0,
            should_stop: Callable[[], bool] = lambda: False, retry_failed: bool = False) -> WorkerReport:
        """Drain the queue (``only``: just those posts) until it is empty (``once``), ``limit`` posts are
        finished, or ``should_stop`` says so; otherwise wait for new work. ``retry_failed`` queues the posts
        that were given up again first."""
        subset = list(only) if only is not None else None
        if retry_failed:
            with self.engine.begin() as conn:
                queue_store.retry_failed(conn)
        self.reap()
        with self.engine.connect() as conn:
            counts = queue_store.counts(conn)
            total = len(subset) if subset is not None else counts.queued + counts.running
        if limit is not None:
            total = min(total, limit)
        handled = 0
        while not should_stop():
            if limit is not None and handled >= limit:
                break
            got = self.step(subset, None if limit is None else limit - handled)
            handled += got
            if progress is not None:
                progress(min(handled, total) if total else handled, max(total, handled))
            if got:
                continue
            if once:
                break
            self.reap()
            time.sleep(idle_seconds)
        return self.report


def queue_status(engine: Engine, settings: Settings) -> dict[str, Any]:
    """The queue's numbers, the back-ends it uses and what comes next (`watchfloor translate status`)."""
    with engine.connect() as conn:
        counts = queue_store.counts(conn)
        upcoming = queue_store.upcoming(conn, 10)
        failures = queue_store.failures(conn, 10)
    default = default_backend(settings)
    rate = counts.done_last_hour / 60.0
    waiting = counts.queued + counts.running
    return {"queued": counts.queued, "running": counts.running, "done": counts.done, "failed": counts.failed,
            "rate_per_minute": round(rate, 2), "segments_last_hour": counts.segments_last_hour,
            "eta_minutes": round(waiting / rate, 1) if rate > 0 and waiting else None,
            "backend": default, "label": LABELS.get(default, "machine translation"),
            "by_language": dict(sorted(_by_lang(settings).items())),
            "by_backend": counts.by_backend or {}, "by_reason": counts.by_reason or {},
            "next": upcoming, "failures": failures}


def _by_lang(settings: Settings) -> dict[str, str]:
    return {"*": default_backend(settings), **pairs(settings.get("translate_by_lang"))}


def needs_human_look(post: Post) -> bool:
    """Whether a non-English post's English has not been written or checked by an analyst."""
    if not post.lang or post.lang in _SKIP or not post.text.strip():
        return False
    stored = post.translation or {}
    return stored.get("backend") != HUMAN or stored.get("source_sha") != text_hash(post.text)


def save_human(conn: Connection, post_id: int, text_en: str, author: str, actor: str) -> dict[str, Any]:
    """Store an analyst's translation of a post and audit it (CLI and web app); returns its record."""
    found = post_store.load_posts(conn, [post_id])
    if not found:
        raise NotFound(f"no post {post_id}")
    before = found[0].translation or {}
    record = set_human(conn, post_id, text_en, author, text_hash(found[0].text))
    recode_for_posts(conn, [post_id])
    audit(conn, actor, "translation-set", f"post:{post_id}",
          {"author": author, "chars": len(text_en.strip()), "replaced": before.get("backend")})
    return record
