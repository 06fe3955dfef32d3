"""No exact or near duplicate crosses splits: proven on a build, and the check does find leaks."""

from __future__ import annotations

from pathlib import Path

from _rows import build_dataset, build_info, make_example, make_rows

from hestai_datagen.dataset import (
    DatasetWriter,
    SplitConfig,
    SplitPlacer,
    assign_split,
    cross_split_duplicates,
)
from hestai_datagen.dataset.dedup import fingerprint_text, minhash
from hestai_datagen.examples.model import Example, Message


def _near_copy(original: Example, new_instance: int) -> Example:
    """The same conversation under another template instance, with one word changed."""
    messages = list(original.messages)
    messages[1] = Message(role="user", content=messages[1].content.replace("Please", "Kindly"))
    meta = original.meta.model_copy(update={"instance": f"mcp-read-file/{new_instance}"})
    return original.model_copy(
        update={"id": f"copy-{new_instance}", "messages": messages, "meta": meta}
    )


def test_default_build_has_no_cross_split_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_dataset(out)
    assert cross_split_duplicates(out) == []


def test_planted_near_duplicates_are_grouped_into_one_split(tmp_path: Path) -> None:
    rows = make_rows()
    planted = [make_example("mcp-read-file", 900 + i, 0, unique=500 + i) for i in range(30)]
    copies = [_near_copy(p, 2000 + i) for i, p in enumerate(planted)]
    all_rows = rows + planted + copies
    config = SplitConfig(seed=7)
    by_instance = {r.id: assign_split(r, config) for r in all_rows}
    assert any(
        by_instance[p.id] != by_instance[c.id] for p, c in zip(planted, copies, strict=True)
    ), "without grouping some copies land in other splits"

    leaky = tmp_path / "leaky"
    with DatasetWriter(leaky) as writer:
        for row in all_rows:
            writer.add(row, by_instance[row.id])
        writer.finish(build_info(splits=config))
    found = cross_split_duplicates(leaky)
    leaked = {(d.first_id, d.second_id) for d in found} | {(d.second_id, d.first_id) for d in found}
    for p, c in zip(planted, copies, strict=True):
        if by_instance[p.id] != by_instance[c.id]:
            assert (p.id, c.id) in leaked
    assert all(d.kind == "near" and d.similarity >= 0.8 for d in found)

    clean = tmp_path / "clean"
    build_dataset(clean, rows=all_rows)
    assert cross_split_duplicates(clean) == []


def test_exact_duplicates_across_splits_are_reported(tmp_path: Path) -> None:
    rows = make_rows()
    twin = rows[0].model_copy(
        update={
            "id": "twin",
            "meta": rows[0].meta.model_copy(update={"instance": "elsewhere/1"}),
        }
    )
    out = tmp_path / "build"
    with DatasetWriter(out) as writer:
        writer.add(rows[0], "train")
        writer.add(twin, "test")
        writer.finish(build_info())
    [pair] = cross_split_duplicates(out)
    assert pair.kind == "exact" and {pair.first_id, pair.second_id} == {rows[0].id, "twin"}


def test_placer_keeps_near_copies_with_their_original_and_is_deterministic() -> None:
    rows = make_rows()
    rows.append(_near_copy(rows[30], 4000))

    def placed() -> dict[str, str]:
        placer = SplitPlacer(SplitConfig(seed=7))
        return {row.id: placer.commit(row, placer.place(row)) for row in rows}

    first = placed()
    assert first == placed()
    assert first["copy-4000"] == first[rows[30].id]


def test_placer_refuses_a_row_bound_to_two_splits() -> None:
    config = SplitConfig(seed=7)
    candidates = [make_example("mcp-read-file", 900 + i, 0, unique=500 + i) for i in range(40)]
    by_split: dict[str, Example] = {}
    for row in candidates:
        by_split.setdefault(assign_split(row, config), row)
    a, b = by_split["train"], next(r for s, r in by_split.items() if s != "train")
    bridge = a.model_copy(
        update={
            "id": "bridge",
            "meta": a.meta.model_copy(update={"instance": b.meta.instance}),
        }
    )
    placer = SplitPlacer(config)
    assert placer.commit(a, placer.place(a)) == "train"
    assert placer.commit(b, placer.place(b)) == assign_split(b, config)
    refused = placer.place(bridge)
    assert refused.split is None
    assert "more than one split" in refused.reason
    assert "same template instance" in refused.reason and "exact duplicate of" in refused.reason


def test_fingerprint_ignores_the_system_prompt() -> None:
    row = make_rows()[0]
    assert row.messages[0].content not in fingerprint_text(row)
    assert minhash("a b c d").jaccard(minhash("a b c d")) == 1.0
