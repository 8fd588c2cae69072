"""raw/ is documented: every article has its line in raw/README.md with the right SHA-256."""

from __future__ import annotations

import hashlib
import re

from conftest import RAW


def test_every_raw_article_is_listed_with_its_sha256():
    readme = (RAW / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+\.txt)` \|.*\| `([0-9a-f]{64})` \|$", readme, re.MULTILINE))
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.glob("*.txt")}
    assert listed == on_disk
