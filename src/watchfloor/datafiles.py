"""The YAML data files Watchfloor ships (cue lists, lexicons, the knowledge base) read the fast way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["YAML_LOADER", "read_yaml"]

YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when the PyYAML wheel has it (five to eight times faster on these files, the same
values), else the pure-Python one."""


def read_yaml(path: Path) -> Any:
    """A UTF-8 YAML file's value, loaded safely (no Python objects)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
