"""The resume journal: every finished work item of a build, so an interrupted build can resume.

Rendering a row and running its per-row checks is the expensive part of a build, and its result
depends only on the build inputs and the item. The journal (``.build-journal.jsonl`` in the output
folder) starts with a key line (the generator version, the seed and the sha256 of every input),
then holds one ``WorkResult`` per line, appended and flushed to disk after each batch. A rerun of
the same build finds the journal, checks the key and takes finished items from it instead of
doing them again; admission (duplicates, splits, shards) is replayed in the same order, so the
resumed output is byte-identical to an uninterrupted one. A line cut short by the interruption
is ignored; a journal of other inputs is discarded. A finished build deletes its journal.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import orjson

from hestai_datagen.pipeline.work import WorkItem, WorkResult


class Journal:
    """Finished work items of one build, on disk."""

    def __init__(self, path: Path, key: dict[str, object]) -> None:
        self.path = path
        self._key_line = orjson.dumps({"journal": key}, option=orjson.OPT_SORT_KEYS)
        self._offsets: dict[WorkItem, int] = {}
        self._file: IO[bytes] | None = None
        self.resumed = self._load()

    def _load(self) -> int:
        """Index a journal of the same build (the number of items found); drop any other."""
        if not self.path.exists():
            return 0
        good_until = 0
        with self.path.open("rb") as lines:
            first = lines.readline()
            if first.rstrip(b"\n") != self._key_line:
                lines.close()
                self.path.unlink()
                return 0
            offset = good_until = len(first)
            for line in lines:
                if not line.endswith(b"\n"):
                    break  # the write the interruption cut short
                try:
                    result = WorkResult.model_validate_json(line)
                except ValueError:
                    break
                self._offsets[result.item] = offset
                offset += len(line)
                good_until = offset
        with self.path.open("r+b") as tail:
            tail.truncate(good_until)
        return len(self._offsets)

    def get(self, item: WorkItem) -> WorkResult | None:
        """The journaled result of ``item``, if it was finished before."""
        offset = self._offsets.get(item)
        if offset is None:
            return None
        with self.path.open("rb") as source:
            source.seek(offset)
            return WorkResult.model_validate_json(source.readline())

    def record(self, results: Iterable[WorkResult]) -> None:
        """Append finished results and make them durable."""
        if self._file is None:
            fresh = not self.path.exists()
            self._file = self.path.open("ab")
            if fresh:
                self._file.write(self._key_line + b"\n")
        for result in results:
            self._offsets[result.item] = self._file.tell()
            self._file.write(result.to_json() + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def remove(self) -> None:
        """Delete the journal (the build it belongs to has finished)."""
        self.close()
        self.path.unlink(missing_ok=True)
