"""What every back-end shares: split, look up the cache, batch, guard, retry, restore, label."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from watchfloor.translate.base import Translation, Translator
from watchfloor.translate.cache import CachedTranslation, TranslationCache, cache_key
from watchfloor.translate.guard import check, wrong_date
from watchfloor.translate.split import Piece, join_pieces, split_text
from watchfloor.translate.usage import UsageMeter, characters

__all__ = ["translate_texts", "gloss", "relevant_glossary"]


def relevant_glossary(segment: str, glossary: Mapping[str, str]) -> dict[str, str]:
    """The glossary entries whose source form occurs in the segment (shorter prompts, better cache hits)."""
    return {surface: english for surface, english in glossary.items() if surface and surface in segment}


def gloss(text: str, glossary: Mapping[str, str]) -> str:
    """The text with ``[English]`` after each glossary name (longest names first, each place once)."""
    names = sorted((s for s, e in glossary.items() if s and e and s.casefold() != e.casefold()), key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile("|".join(re.escape(s) for s in names))
    return pattern.sub(lambda m: f"{m.group(0)} [{glossary[m.group(0)]}]", text)


@dataclass
class _Job:
    segment: str
    glossary: dict[str, str]
    key: str
    english: str | None = None
    flags: tuple[str, ...] = ()
    cached: bool = False


def translate_texts(translator: Translator, texts: Sequence[str], source_lang: str,
                    glossaries: Sequence[Mapping[str, str]] | None = None,
                    cache: TranslationCache | None = None, check_output: bool = True,
                    usage: UsageMeter | None = None) -> list[Translation]:
    """Translate texts of one language with one back-end; each identical segment is translated once; the
    characters sent are counted on ``usage``."""
    if not getattr(translator, "guarded", True):  # the original with glosses: nothing to check, keep or count
        check_output, cache, usage = False, None, None
    glossaries = list(glossaries) if glossaries is not None else [{} for _ in texts]
    split: list[list[Piece]] = [split_text(text) for text in texts]
    jobs: dict[str, _Job] = {}
    per_piece: list[list[str | None]] = []
    for pieces, glossary in zip(split, glossaries, strict=True):
        keys: list[str | None] = []
        for piece in pieces:
            if not piece.segment:
                keys.append(None)
                continue
            used = relevant_glossary(piece.segment, glossary) if translator.uses_glossary else {}
            key = cache_key(translator.name, translator.model, source_lang, piece.segment, used)
            jobs.setdefault(key, _Job(piece.segment, used, key))
            keys.append(key)
        per_piece.append(keys)
    if cache is not None and jobs:
        for key, kept in cache.get_many(list(jobs)).items():
            jobs[key].english, jobs[key].cached = kept, True
    todo = [job for job in jobs.values() if job.english is None]
    _run(translator, todo, source_lang, strict=False, check_output=check_output, usage=usage)
    retry = [job for job in todo if job.flags]
    if retry:
        first = {job.key: job.flags for job in retry}
        _run(translator, retry, source_lang, strict=True, check_output=check_output, usage=usage)
        for job in retry:
            if job.flags:  # still not a translation: show the original (glossed), and say so
                job.english = gloss(job.segment, job.glossary)
                job.flags = tuple(sorted(set(job.flags) | set(first[job.key])))
    if cache is not None:
        cache.put_many([CachedTranslation(job.key, translator.name, translator.model, source_lang, job.english)
                        for job in todo if job.english is not None and not job.flags])
    now = datetime.now(UTC)
    results: list[Translation] = []
    for pieces, keys in zip(split, per_piece, strict=True):
        english = [(jobs[k].english or "") if k else "" for k in keys]
        flags = sorted({f for k in keys if k for f in jobs[k].flags})
        results.append(Translation(
            text=join_pieces(pieces, english), backend=translator.name, model=translator.model, at=now,
            flags=tuple(flags), source_lang=source_lang, segments=sum(1 for k in keys if k),
            cached=sum(1 for k in keys if k and jobs[k].cached)))
    return results


def _run(translator: Translator, jobs: list[_Job], source_lang: str, strict: bool, check_output: bool,
         usage: UsageMeter | None = None) -> None:
    size = max(1, translator.max_batch)
    # one call per batch of segments that share a glossary-free prompt; LLM back-ends take them one by one
    for start in range(0, len(jobs), size):
        batch = jobs[start:start + size]
        if translator.uses_glossary:
            outputs = []
            for job in batch:
                outputs += translator.translate([job.segment], source_lang, job.glossary, strict)
        else:
            outputs = translator.translate([job.segment for job in batch], source_lang, {}, strict)
        if usage is not None:
            usage.add(translator.name, translator.model, characters([job.segment for job in batch]), len(batch))
        if len(outputs) != len(batch):
            raise RuntimeError(f"{translator.name} returned {len(outputs)} texts for {len(batch)} segments")
        for job, english in zip(batch, outputs, strict=True):
            job.english = english
            flags = check(job.segment, english, source_lang) if check_output else []
            if check_output and wrong_date(english, job.glossary.values()):
                flags.append("wrong_date")  # the lexicon said which day: another day misleads
            job.flags = tuple(flags)
