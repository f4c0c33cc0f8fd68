"""Write ``pipeline/data/fa_verbs.tsv``, the Persian verbs' past and present stems, from the verb list that
hazm (the Persian NLP toolkit, MIT licence, on PyPI) ships in its wheel as ``hazm/data/verbs.dat``.

    python -m pip download hazm==0.10.0 --no-deps -d /tmp/hazm
    python scripts/build_fa_verbs.py /tmp/hazm/hazm-0.10.0-py3-none-any.whl

Only the stems are kept (one "past TAB present" line per verb, as hazm lists them); the licence is copied
beside them (``fa_verbs.LICENSE.md``). ``pipeline/recognize_fa_bounds.py`` reads them to tell a verb's forms.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "watchfloor" / "pipeline" / "data"


def main() -> None:
    wheel = Path(sys.argv[1])
    with zipfile.ZipFile(wheel) as archive:
        verbs = archive.read("hazm/data/verbs.dat").decode("utf-8")
        licence = next(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith("LICENSE"))
    pairs = sorted({tuple(line.strip().split("#", 1)) for line in verbs.splitlines() if "#" in line})
    header = [f"# Persian verb stems, past TAB present (an empty past: a verb with a present only), from {wheel.name}",
              "# (hazm/data/verbs.dat, MIT licence: fa_verbs.LICENSE.md); written by scripts/build_fa_verbs.py"]
    (DATA / "fa_verbs.tsv").write_text("\n".join([*header, *("\t".join(p) for p in pairs)]) + "\n", encoding="utf-8")
    (DATA / "fa_verbs.LICENSE.md").write_text(
        "# Licence of fa_verbs.tsv\n\nThe stems in `fa_verbs.tsv` come from `hazm/data/verbs.dat` of the hazm "
        f"package ({wheel.name}, PyPI), under this licence:\n\n```\n{licence.strip()}\n```\n", encoding="utf-8")
    print(f"{len(pairs)} verbs")


if __name__ == "__main__":
    main()
