"""Duplicate detection across rows: exact (hash) and near (MinHash + LSH, datasketch).

Exact duplicates compare the whole normalized conversation (system turns included) by SHA-256.
Near duplicates compare word shingles of the conversation without system turns (which many rows
of a scenario share on purpose) with MinHash signatures in a ``MinHashLSH`` index; LSH candidates
are confirmed with the estimated Jaccard similarity. The first row seen is kept: ``look`` only
reports, ``add`` registers an accepted row, so the outcome is deterministic given the order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from hestai_datagen.checks.base import CheckInfo, Finding
from hestai_datagen.checks.content import conversation_text
from hestai_datagen.examples.model import Example

EXACT_ID = "dup.exact"
NEAR_ID = "dup.near"
ID_ID = "dup.id"

DUPLICATE_CHECKS = (
    CheckInfo(
        id=ID_ID,
        severity="error",
        description="Every row id is unique.",
    ),
    CheckInfo(
        id=EXACT_ID,
        severity="error",
        description=(
            "No exact duplicate (SHA-256 of the normalized conversation); the first is kept."
        ),
    ),
    CheckInfo(
        id=NEAR_ID,
        severity="error",
        description=(
            "No near duplicate (MinHash/LSH over word shingles of the conversation, system turns "
            "left out); the first is kept."
        ),
    ),
)

_WORDS = re.compile(r"\w+")


def shingles(text: str, size: int) -> set[bytes]:
    """The set of ``size``-word shingles of ``text`` (one shingle if it has fewer words)."""
    words = _WORDS.findall(text)
    if len(words) <= size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class _Kept:
    id: str
    scenario: str


@dataclass
class Signature:
    """What duplicate detection knows about one row."""

    id: str
    scenario: str
    digest: str
    minhash: Any  # datasketch.MinHash


class DuplicateIndex:
    """The rows kept so far, for exact and near-duplicate lookups."""

    def __init__(self, *, threshold: float, num_perm: int, shingle_size: int, seed: int) -> None:
        from datasketch import MinHash  # slow import (scipy): only when a gate is made

        self._minhash = MinHash
        self._num_perm = num_perm
        self.threshold = threshold
        self.shingle_size = shingle_size
        self._template = MinHash(num_perm=num_perm, seed=seed)
        self._lsh: Any = None  # built on the first lookup that has something to compare with
        self._ids: set[str] = set()
        self._digests: dict[str, _Kept] = {}
        self._kept: list[tuple[_Kept, Any]] = []

    def signature(self, example: Example) -> Signature:
        """Hash and MinHash of a row."""
        full = conversation_text(example, include_system=True)
        digest = hashlib.sha256(full.encode()).hexdigest()
        minhash = self._minhash(
            num_perm=self._template.num_perm,
            seed=self._template.seed,
            permutations=self._template.permutations,
            scheme=self._template.scheme,
        )
        body = conversation_text(example, include_system=False)
        minhash.update_batch(sorted(shingles(body, self.shingle_size)))
        return Signature(example.id, example.scenario, digest, minhash)

    def look(self, signature: Signature) -> list[Finding]:
        """Findings if the row duplicates a kept one: id, then exact or else near."""
        findings = []
        if signature.id in self._ids:
            findings.append(
                Finding(
                    check_id=ID_ID, severity="error", reason=f"id {signature.id!r} already used"
                )
            )
        kept = self._digests.get(signature.digest)
        if kept is not None:
            findings.append(
                Finding(
                    check_id=EXACT_ID,
                    severity="error",
                    reason=f"exact duplicate of {kept.id} (scenario {kept.scenario})",
                )
            )
            return findings
        best: tuple[float, int] | None = None
        for key in self._candidates(signature):
            similarity = signature.minhash.jaccard(self._kept[key][1])
            if similarity >= self.threshold and (
                best is None or (similarity, -key) > (best[0], -best[1])
            ):
                best = (similarity, key)
        if best is not None:
            other = self._kept[best[1]][0]
            findings.append(
                Finding(
                    check_id=NEAR_ID,
                    severity="error",
                    reason=(
                        f"near duplicate of {other.id} (scenario {other.scenario}, estimated "
                        f"Jaccard {best[0]:.2f} >= {self.threshold:.2f})"
                    ),
                )
            )
        return findings

    def add(self, signature: Signature) -> None:
        """Register an accepted row."""
        kept = _Kept(signature.id, signature.scenario)
        self._ids.add(signature.id)
        self._digests.setdefault(signature.digest, kept)
        key = len(self._kept)
        self._kept.append((kept, signature.minhash))
        if self._lsh is not None:
            self._lsh.insert(key, signature.minhash, check_duplication=False)

    def _candidates(self, signature: Signature) -> list[int]:
        if not self._kept:
            return []
        if self._lsh is None:
            from datasketch import MinHashLSH

            # Choosing the band parameters is a numeric optimisation: only pay for it when the
            # index holds something.
            self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self._num_perm)
            for key, (_, minhash) in enumerate(self._kept):
                self._lsh.insert(key, minhash, check_duplication=False)
        return sorted(self._lsh.query(signature.minhash))
