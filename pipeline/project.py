"""The publishing settings: ``pyproject.toml``'s name, version, description and licence, then its
``[tool.dataset]`` table. Dates and versions come from here, never from the clock."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.errors import PipelineError

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def read_project(path: Path = PYPROJECT) -> dict:
    """The settings (``[tool.dataset]``'s ``description``, of the data, replaces the project's, of the code)."""
    try:
        settings = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PipelineError(f"cannot read the project settings: {error}", str(path)) from None
    project = settings["project"]
    return {"name": project["name"], "version": project["version"], "description": project["description"],
            "license": project["license"], **settings.get("tool", {}).get("dataset", {})}
