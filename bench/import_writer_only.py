"""The import's writing alone: every batch of an archive parsed into memory first, then written by the
importer exactly as an import writes them (sources, bulk insert, full-text index, media bookkeeping), so the
writer's own time shows apart from the parsing's.

    PYTHONPATH=src python bench/import_writer_only.py /tmp/wf-archive/a1m sqlite:////tmp/w.sqlite3

The database is migrated first and should be empty. It holds the whole archive's rows in memory (about 4 GB
at a million posts). Prints the reading and writing times (wall and this process's CPU) as JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

from make_archive import export_paths

from watchfloor import importer, runner
from watchfloor.import_reading import Event, read_exports
from watchfloor.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="a folder make_archive.py wrote")
    parser.add_argument("db", help="a database URL (migrated here; start from an empty one)")
    parser.add_argument("--batch", type=int, default=importer.IMPORT_BATCH)
    args = parser.parse_args()
    gc.disable()  # as the import does
    paths = export_paths(args.archive)
    engine = runner.open_store(args.db, migrate=True)
    started, cpu = time.perf_counter(), time.process_time()
    events = list(read_exports(paths, [0] * len(paths), args.batch, engine.dialect.name, None))
    read = time.perf_counter() - started, time.process_time() - cpu

    def parsed_already(*_: Any) -> Generator[Event, None, None]:
        yield from events

    importer.read_exports = parsed_already  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as data:
        settings = load_settings({"data_dir": data, "media_download": "exports,web", "media_ocr": "off"}, environ={})
        started, cpu = time.perf_counter(), time.process_time()
        report = importer.import_telegram_exports(engine, paths, settings=settings, apart=False)
        written = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    print(json.dumps({"posts": report.counts.inserted, "read_s": round(read[0], 1), "read_cpu_s": round(read[1], 1),
                      "write_s": round(written[0], 1), "write_cpu_s": round(written[1], 1)}, indent=1))


if __name__ == "__main__":
    main()
