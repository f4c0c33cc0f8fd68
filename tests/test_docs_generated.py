"""Figures in docs/ that a script produces are the script's output: the knowledge-base counts (docs/kb.md and
README.md, by scripts/kb_counts.py) and the quality tables (docs/quality.md, by eval/report.py from the saved
results in eval/results/). Neither script reads ../shared; rerun the script when this fails."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent


def _load(path: Path) -> ModuleType:
    sys.path.insert(0, str(path.parent))  # eval/report.py imports its siblings
    try:
        spec = importlib.util.spec_from_file_location(f"_doc_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(path.parent))


@pytest.mark.parametrize("page", ["docs/kb.md", "README.md"])
def test_knowledge_base_counts_are_the_scripts(page: str) -> None:
    kb_counts = _load(ROOT / "scripts" / "kb_counts.py")
    update = kb_counts.update_kb_page if page == "docs/kb.md" else kb_counts.update_readme
    text = (ROOT / page).read_text(encoding="utf-8")
    assert update(text) == text, f"{page} has stale counts: run PYTHONPATH=src python scripts/kb_counts.py"


def test_the_counts_script_changes_a_stale_figure() -> None:
    kb_counts = _load(ROOT / "scripts" / "kb_counts.py")
    text = (ROOT / "docs" / "kb.md").read_text(encoding="utf-8")
    per_file, _, _ = kb_counts.counts()
    stale = text.replace(f"| `places.yaml` | {per_file['places.yaml']} |", "| `places.yaml` | 1 |")
    assert stale != text and kb_counts.update_kb_page(stale) == text


def test_quality_page_is_what_eval_report_writes() -> None:
    report = _load(ROOT / "eval" / "report.py")
    assert (ROOT / "docs" / "quality.md").read_text(encoding="utf-8") == report.render(), \
        "docs/quality.md differs from its script's output: run PYTHONPATH=src python eval/report.py"
