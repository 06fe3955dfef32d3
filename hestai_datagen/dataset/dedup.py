"""Exact and near-duplicate detection over conversations (sha256 + MinHash LSH via datasketch).

A conversation's fingerprint text is its non-system turns (role, content, tool-call names and
arguments): the system prompt and the tool definitions are shared by many unrelated examples and
would make them all look alike. ``placement.SplitPlacer`` uses the same measure to keep near
duplicates in one split while the build streams; :func:`cross_split_duplicates` proves a finished
folder has none across splits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from datasketch import MinHash, MinHashLSH
from pydantic import BaseModel, ConfigDict

from hestai_datagen.dataset.manifest import load_manifest
from hestai_datagen.dataset.shards import iter_shard_rows
from hestai_datagen.examples.model import Example

DEFAULT_THRESHOLD = 0.8
NUM_PERM = 128
SHINGLE = 3
_WORD = re.compile(r"\w+", re.UNICODE)


class DuplicatePair(BaseModel):
    """Two rows in different splits that are the same or nearly the same conversation."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["exact", "near"]
    similarity: float
    first_split: str
    first_id: str
    second_split: str
    second_id: str


def fingerprint_text(example: Example) -> str:
    """The text two examples are compared on (every non-system turn, in order)."""
    parts: list[str] = []
    for message in example.messages:
        if message.role == "system":
            continue
        parts.append(f"<{message.role}> {message.content}")
        for call in message.tool_calls:
            parts.append(f"<call {call.function.name}> {call.function.arguments}")
    return "\n".join(parts)


def exact_key(text: str) -> str:
    """sha256 of the whitespace- and case-normalized text."""
    normal = " ".join(text.lower().split())
    return hashlib.sha256(normal.encode()).hexdigest()


def minhash(text: str) -> MinHash:
    """MinHash over word 3-shingles (a lone short text uses its words)."""
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    signature = MinHash(num_perm=NUM_PERM, seed=1)
    signature.update_batch([s.encode() for s in shingles])
    return signature


def _folder_rows(folder: Path) -> Iterator[tuple[str, Example]]:
    manifest = load_manifest(folder)
    for shard in manifest.shards:
        for row in iter_shard_rows(folder / shard.path):
            yield shard.split, Example.model_validate(row)


def cross_split_duplicates(
    folder: Path, *, threshold: float = DEFAULT_THRESHOLD
) -> list[DuplicatePair]:
    """Every pair of rows in different splits of ``folder`` that are exact or near duplicates
    (MinHash-estimated Jaccard similarity of word 3-shingles at least ``threshold``)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures: dict[str, MinHash] = {}
    split_of: dict[str, str] = {}
    exact: dict[str, list[str]] = {}
    pairs: list[DuplicatePair] = []
    for split, example in _folder_rows(Path(folder)):
        text = fingerprint_text(example)
        signature = minhash(text)
        found: set[str] = set()
        for other in exact.get(exact_key(text), []):
            if split_of[other] != split:
                found.add(other)
                pairs.append(_pair("exact", 1.0, split_of[other], other, split, example.id))
        for other in lsh.query(signature):
            if split_of[other] == split or other in found:
                continue
            similarity = float(signature.jaccard(signatures[other]))
            if similarity >= threshold:
                pairs.append(_pair("near", similarity, split_of[other], other, split, example.id))
        exact.setdefault(exact_key(text), []).append(example.id)
        signatures[example.id] = signature
        split_of[example.id] = split
        lsh.insert(example.id, signature)
    return pairs


def _pair(
    kind: Literal["exact", "near"], similarity: float, s1: str, id1: str, s2: str, id2: str
) -> DuplicatePair:
    return DuplicatePair(
        kind=kind,
        similarity=round(similarity, 4),
        first_split=s1,
        first_id=id1,
        second_split=s2,
        second_id=id2,
    )
