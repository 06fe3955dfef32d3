"""The MCP recordings a set of templates needs, made (or read from cache) before rendering."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hestai_datagen.scenarios.providers import mcp_recording
from hestai_datagen.scenarios.template import ScenarioTemplate


def needed_keys(templates: Sequence[ScenarioTemplate]) -> list[Any]:
    """Every recording key some template may draw, in a stable order."""
    users = [t for t in templates if t.meta.context == mcp_recording.NAME]
    if not users:
        return []
    from hestai_datagen.mcp_traces import available_recordings

    available = available_recordings()
    keys: dict[Any, None] = {}
    for template in users:
        needed = mcp_recording.needed_recordings(template.meta.context_args, available)
        keys.update(dict.fromkeys(needed))
    return list(keys)


def record_for(templates: Sequence[ScenarioTemplate], cache_dir: Path | None) -> dict[Any, Any]:
    """Record (or load from cache) every recording the templates need."""
    keys = needed_keys(templates)
    if not keys:
        return {}
    from hestai_datagen.mcp_traces import Recorder

    recordings: dict[Any, Any] = Recorder(cache_dir).record_many(keys)
    return recordings
