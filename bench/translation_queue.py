"""How soon the demo's stories read in English: the bundled sample imported and processed (translation queued),
then the queue's worker with the default back-end (the bundled gist model where installed) timed until the
posts of the story told by the most channels are translated, and (with --multichannel) every multi-channel
story's.

    python bench/translation_queue.py [--data-dir DIR] [--multichannel]

DIR keeps the assembled gist model between runs (it is assembled from its 22 packages on first use).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from watchfloor import runner
from watchfloor.settings import load_settings
from watchfloor.store import stories as story_store
from watchfloor.translate.select import default_backend
from watchfloor.translation_queue import Worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "watchfloor-bench-queue")
    parser.add_argument("--multichannel", action="store_true", help="Also time every multi-channel story.")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    database = args.data_dir / "bench.sqlite3"
    database.unlink(missing_ok=True)
    settings = load_settings({"data_dir": str(args.data_dir), "db": str(database)})
    engine = runner.open_store(f"sqlite:///{database}", migrate=True)
    runner.init_store(engine)
    runner.import_sample(engine)
    started = time.monotonic()
    queued = runner.process(engine, settings).queued
    processed = time.monotonic() - started
    with engine.connect() as conn:
        stories = [story_store.get_story(conn, s.id) for s in story_store.list_stories(conn, min_sources=2, limit=100)]
    top = max(stories, key=lambda s: len({p.source.key for p in s.posts}))
    result = {"backend": default_backend(settings), "queued": queued, "process_seconds": round(processed, 1)}

    def timed(ids: list[int]) -> dict[str, float]:
        def cpu() -> float:  # this process and its children (a back-end may run its model in a child process)
            return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                         resource.getrusage(resource.RUSAGE_CHILDREN)))
        before, begin = cpu(), time.monotonic()
        report = Worker(engine, settings).run(once=True, only=ids)
        return {"posts": report.done, "segments": report.segments, "seconds": round(time.monotonic() - begin, 1),
                "cpu_seconds": round(cpu() - before, 1)}

    result["top_story"] = {"id": top.id, **timed([p.id for p in top.posts])}
    if args.multichannel:
        result["multichannel"] = timed([p.id for s in stories for p in s.posts])
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
