"""How the Dask engine cuts the end of a run into pieces for its workers (``dask.even_tail``): every post once, in
the store's order, each batch's pieces making up the batch (it is written whole), whole batches until the tail,
and workers that finish together where whole batches leave one working alone."""

from __future__ import annotations

import heapq
from itertools import chain

import pytest

pytest.importorskip("distributed")
from watchfloor.engine.dask import SMALLEST_PIECE, TAIL_SHARES, even_tail  # noqa: E402 (after the skip)

# (posts in the run, batch size, workers): short runs, a monitor's pass of a few posts, long runs, odd sizes
CASES = [(684, 64, 2), (40, 64, 2), (3, 64, 2), (1, 64, 4), (80, 8, 2), (1000, 64, 2), (1000, 64, 4),
         (129, 64, 2), (128, 64, 2), (5000, 200, 8), (97, 10, 3), (64, 64, 2), (65, 64, 2), (700, 7, 5)]


def _batches(total: int, size: int) -> list[list[int]]:
    return [list(range(at, min(at + size, total))) for at in range(0, total, size)]


def _finish_spread(pieces: list[int], workers: int) -> int:
    """Posts of difference between the first and the last worker to finish, each piece going in order to the
    first worker free (the scheduler's way), every post costing the same."""
    free = [(0, w) for w in range(workers)]
    finish = [0] * workers
    for piece in pieces:
        at, worker = heapq.heappop(free)
        finish[worker] = at + piece
        heapq.heappush(free, (at + piece, worker))
    return max(finish) - min(finish)


@pytest.mark.parametrize(("total", "size", "workers"), CASES)
def test_every_post_once_in_order_and_each_batch_whole(total: int, size: int, workers: int) -> None:
    batches = _batches(total, size)
    cut = list(even_tail(iter(batches), total, workers))
    assert [list(chain.from_iterable(pieces)) for pieces in cut] == batches
    assert all(piece for pieces in cut for piece in pieces)


@pytest.mark.parametrize(("total", "size", "workers"), CASES)
def test_whole_batches_until_the_tail_and_no_piece_too_small(total: int, size: int, workers: int) -> None:
    cut = list(even_tail(iter(_batches(total, size)), total, workers))
    sent = 0
    for pieces in cut:
        if total - sent >= TAIL_SHARES * workers * size:
            assert len(pieces) == 1
        batch = sum(map(len, pieces))
        assert all(len(piece) >= min(SMALLEST_PIECE, batch) for piece in pieces)
        assert max(map(len, pieces)) - min(map(len, pieces)) <= 1  # a batch is cut evenly
        sent += batch


@pytest.mark.parametrize(("total", "size", "workers"), CASES)
def test_the_workers_finish_closer_together_than_with_whole_batches(total: int, size: int, workers: int) -> None:
    whole = _finish_spread([len(b) for b in _batches(total, size)], workers)
    pieces = [len(p) for pieces in even_tail(iter(_batches(total, size)), total, workers) for p in pieces]
    spread = _finish_spread(pieces, workers)
    assert spread <= whole
    # whole batches can leave one worker alone on a whole batch; a batch under two pieces long is not cut
    assert spread <= max(2 * SMALLEST_PIECE - 1, size // 2)


def test_the_684_post_run_ends_in_small_pieces_not_one_batch_alone() -> None:
    cut = list(even_tail(iter(_batches(684, 64)), 684, 2))
    assert _finish_spread([len(b) for b in _batches(684, 64)], 2) == 44  # one worker alone on the last batch
    assert [len(p) for p in cut[-1]] == [6, 6, 6, 6, 5, 5, 5, 5]
    assert _finish_spread([len(p) for pieces in cut for p in pieces], 2) <= 6


def test_one_worker_gets_whole_batches() -> None:
    cut = list(even_tail(iter(_batches(300, 64)), 300, 1))
    assert all(len(pieces) == 1 for pieces in cut)


def test_posts_stored_after_the_count_go_in_whole_batches() -> None:
    """The run counted 100 posts; 200 more arrived while it ran: they are not cut into pieces of four."""
    cut = list(even_tail(iter(_batches(300, 50)), 100, 2))
    assert [len(pieces) for pieces in cut[2:]] == [1, 1, 1, 1]
