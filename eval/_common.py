"""Shared by the evaluation scripts: where the public data sets are, and where results go."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WATCHFLOOR_EVAL_DATA", ROOT.parent / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"


def need(path: Path) -> Path:
    """The path, or exit with a clear message when the public data sets are not beside the clone."""
    if not path.exists():
        sys.exit(f"{path} not found: the evaluation sets live in ../shared/data (or set WATCHFLOOR_EVAL_DATA)")
    return path


def save(task: str, result: dict[str, Any]) -> None:
    """Write a task's result (with the date and the command) for eval/report.py, and print it."""
    result = {"task": task, "date": datetime.now(UTC).date().isoformat(),
              "command": "python " + " ".join([f"eval/{Path(sys.argv[0]).name}", *sys.argv[1:]]), **result}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{task}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


def lines(path: Path) -> list[str]:
    """The non-empty lines of a UTF-8 text file."""
    return [line.strip() for line in need(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def tsv_column(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of the UN conflict TSVs (quoted text, header skipped, read line by line)."""
    rows = []
    for line in need(path).read_text(encoding="utf-8").splitlines()[1:]:
        text, _, label = line.rpartition("\t")
        rows.append((text.strip().strip('"'), label.strip().strip('"')))
    return rows
