"""Streaming split placement that never lets a conversation leak across splits.

Rows arrive one at a time, in the build's deterministic admission order, and each must get its
split at once (the shards are being written). ``SplitPlacer`` places a row with the rows it is
bound to: rows of the same template instance, and rows whose conversation is an exact or near
duplicate (MinHash estimate of the Jaccard similarity of word 3-shingles at least ``threshold``,
the same measure :func:`~hestai_datagen.dataset.dedup.cross_split_duplicates` verifies with). A
row bound to nothing gets the split its group hashes to (:func:`assign_split`). A row bound to
two different splits cannot be placed without leaking, so ``place`` refuses it with the reason,
and the build rejects it (with that reason) instead. ``place`` only looks; ``commit`` registers
a row once the build has admitted it.

Memory grows by one 128-value signature per admitted row, which is what any deduplication needs;
the rows themselves are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from hestai_datagen.dataset.dedup import (
    DEFAULT_THRESHOLD,
    NUM_PERM,
    exact_key,
    fingerprint_text,
    minhash,
)
from hestai_datagen.dataset.splits import HELDOUT, SplitConfig, assign_split
from hestai_datagen.examples.model import Example

LEAK_CHECK_ID = "split.leak"
LEAK_CHECK_DESCRIPTION = (
    "The row can join a split without any template instance, exact duplicate or near duplicate "
    f"(MinHash Jaccard >= {DEFAULT_THRESHOLD}) ending up in two splits."
)


@dataclass(frozen=True)
class Placement:
    """Where a row would go: ``split``, or ``None`` with the reason it cannot go anywhere."""

    split: str | None
    reason: str
    signature: MinHash
    text_key: str


class SplitPlacer:
    """Assigns splits to rows as they stream in, keeping bound rows together."""

    def __init__(self, config: SplitConfig, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.config = config
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._split_of_row: dict[str, str] = {}
        self._split_of_instance: dict[str, str] = {}
        self._first_with_text: dict[str, str] = {}

    def place(self, example: Example) -> Placement:
        """Where ``example`` goes, or why it cannot go anywhere (nothing is registered yet)."""
        text = fingerprint_text(example)
        signature = minhash(text)
        key = exact_key(text)
        bound = self._bindings(example, signature, key)
        if len(bound) > 1:
            reasons = "; ".join(f"{split}: {why}" for split, why in sorted(bound.items()))
            return Placement(None, f"bound to more than one split ({reasons})", signature, key)
        split = next(iter(bound)) if bound else assign_split(example, self.config)
        return Placement(split, "", signature, key)

    def commit(self, example: Example, placement: Placement) -> str:
        """Register ``example`` in its placed split, binding later rows to it; the split."""
        if placement.split is None:
            raise ValueError(f"row {example.id} has no split: {placement.reason}")
        split = placement.split
        self._split_of_row[example.id] = split
        self._split_of_instance.setdefault(example.meta.instance, split)
        self._first_with_text.setdefault(placement.text_key, example.id)
        self._signatures[example.id] = placement.signature
        self._lsh.insert(example.id, placement.signature, check_duplication=False)
        return split

    def _bindings(self, example: Example, signature: MinHash, key: str) -> dict[str, str]:
        """Split → why the row must go there (first reason found per split)."""
        bound: dict[str, str] = {}
        heldout = self.config.heldout
        if heldout is not None and heldout.matches(example):
            bound[HELDOUT] = "held out by the config"
        instance_split = self._split_of_instance.get(example.meta.instance)
        if instance_split is not None:
            bound.setdefault(instance_split, f"same template instance {example.meta.instance}")
        twin = self._first_with_text.get(key)
        if twin is not None:
            bound.setdefault(self._split_of_row[twin], f"exact duplicate of {twin}")
        for other in sorted(self._lsh.query(signature)):
            similarity = signature.jaccard(self._signatures[other])
            if similarity >= self.threshold:
                bound.setdefault(
                    self._split_of_row[other],
                    f"near duplicate of {other} (Jaccard {similarity:.2f})",
                )
        return bound
