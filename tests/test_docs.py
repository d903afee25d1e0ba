"""Comments cite documents of the repository: every ``docs/…`` a source file names exists, and no
comment sends the reader to a document outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITED = re.compile(r"docs/([A-Za-z_]+\.md)")


def tracked_sources() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / n for n in names.split() if n.endswith((".py", ".html", ".css", ".js", ".md"))]


def test_cited_docs_exist_and_no_outside_design_document_is_cited():
    missing, outside = set(), []
    for path in tracked_sources():
        text = path.read_text(encoding="utf-8")
        missing |= {name for name in CITED.findall(text) if not (ROOT / "docs" / name).is_file()}
        if "DESIGN §" in text and path != Path(__file__):
            outside.append(str(path.relative_to(ROOT)))
    assert missing == set()
    assert outside == []
