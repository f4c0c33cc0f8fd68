"""The pipeline's order, worked out from what each stage ``requires`` and ``assigns``.

A stage that assigns a field without requiring it *produces* the field; one that requires and assigns it
*refines* it (the names stage adds to the entities stage's mentions). A stage runs after every producer of
each field it requires, and after each refiner of that field registered before it, unless that refiner
needs the stage (directly or through others): then the refiner comes after. Within those constraints the
registration order is kept (built-in stages first, then plug-ins), so the order is stable. A field no stage
produces, or stages whose producers need each other, is an error that names them.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence
from typing import TypeVar

from watchfloor.errors import WatchfloorError
from watchfloor.pipeline.base import GIVEN_FIELDS, Stage

__all__ = ["stage_order"]

S = TypeVar("S", bound=Stage)


def _reaches(after: list[dict[int, str]], start: int, goal: int) -> bool:
    """Whether ``start`` must (transitively) follow ``goal``."""
    seen, todo = {start}, [start]
    while todo:
        for other in after[todo.pop()]:
            if other == goal:
                return True
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return False


def _dependencies(stages: Sequence[Stage], given: Collection[str]) -> list[dict[int, str]]:
    """For each stage, the stages it must follow, with the field that makes it follow each."""
    producers: dict[str, list[int]] = {}
    refiners: dict[str, list[int]] = {}
    for index, stage in enumerate(stages):
        for name in stage.assigns:
            (refiners if name in stage.requires else producers).setdefault(name, []).append(index)
    after: list[dict[int, str]] = [{} for _ in stages]
    for index, stage in enumerate(stages):
        for name in stage.requires:
            if name in given:
                continue
            if not producers.get(name):
                known = ", ".join(sorted(s.name for s in stages if name in s.assigns)) or "none"
                raise WatchfloorError(f"stage {stage.name!r} requires {name!r}, which no stage produces "
                                      f"(stages that only refine it: {known}); register a stage that assigns it")
            for other in producers[name]:
                if other != index:
                    after[index].setdefault(other, name)
    # then the refiners registered earlier, where the refiner does not itself need the stage
    for index, stage in enumerate(stages):
        for name in stage.requires:
            for other in refiners.get(name, []):
                if other < index and other not in after[index] and not _reaches(after, other, index):
                    after[index][other] = name
    return after


def _cycle(stages: Sequence[Stage], after: list[dict[int, str]], left: set[int]) -> str:
    """One cycle among the stages left unordered, as 'a needs b (field) → ...'."""
    path: list[int] = []
    node = min(left)
    while node not in path:
        path.append(node)
        node = min(j for j in after[node] if j in left)
    loop = path[path.index(node):] + [node]
    return ", ".join(f"{stages[a].name!r} needs {after[a][b]!r} from {stages[b].name!r}"
                     for a, b in zip(loop, loop[1:], strict=False))


def stage_order(stages: Sequence[S], given: Collection[str] = GIVEN_FIELDS) -> list[S]:
    """The stages in an order where each runs after what it needs (stable: registration order otherwise)."""
    after = _dependencies(stages, given)
    waiting = [set(needs) for needs in after]
    ready = [index for index, needs in enumerate(waiting) if not needs]
    heapq.heapify(ready)
    ordered: list[int] = []
    while ready:
        index = heapq.heappop(ready)
        ordered.append(index)
        for other, needs in enumerate(waiting):
            if index in needs:
                needs.discard(index)
                if not needs:
                    heapq.heappush(ready, other)
    if len(ordered) < len(stages):
        left = set(range(len(stages))) - set(ordered)
        raise WatchfloorError(f"the stages' requires and assigns form a cycle: {_cycle(stages, after, left)}")
    return [stages[index] for index in ordered]
