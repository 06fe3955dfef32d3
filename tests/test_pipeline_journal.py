"""The resume journal keeps finished work items, survives a cut-short write, drops other builds'."""

from __future__ import annotations

from pathlib import Path

from hestai_datagen.checks.base import Finding
from hestai_datagen.pipeline.journal import Journal
from hestai_datagen.pipeline.work import WorkResult, schedule_round


def _result(index: int) -> WorkResult:
    finding = Finding(check_id="size.tokens", severity="warning", reason="long", message_index=2)
    return WorkResult(
        template="p1.demo", index=index, row=f'{{"id":"{index}"}}', found=[("size", [finding])]
    )


def test_results_come_back_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    first = Journal(path, {"seed": 1})
    assert first.resumed == 0
    first.record([_result(0), _result(1)])
    first.record([WorkResult(template="p2.demo", index=0, render_error="KeyError: 'x'")])
    first.close()
    again = Journal(path, {"seed": 1})
    assert again.resumed == 3
    assert again.get(("p1.demo", 1)) == _result(1)
    assert again.get(("p2.demo", 0)) == WorkResult(
        template="p2.demo", index=0, render_error="KeyError: 'x'"
    )
    assert again.get(("p1.demo", 2)) is None
    again.record([_result(2)])
    again.close()
    assert Journal(path, {"seed": 1}).get(("p1.demo", 2)) == _result(2)


def test_a_cut_short_line_is_dropped_and_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = Journal(path, {"seed": 1})
    journal.record([_result(0)])
    journal.close()
    with path.open("ab") as raw:
        raw.write(b'{"template":"p1.demo","ind')
    resumed = Journal(path, {"seed": 1})
    assert resumed.resumed == 1
    resumed.record([_result(1)])
    resumed.close()
    assert Journal(path, {"seed": 1}).resumed == 2


def test_a_journal_of_other_inputs_is_discarded(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = Journal(path, {"seed": 1})
    journal.record([_result(0)])
    journal.close()
    other = Journal(path, {"seed": 2})
    assert other.resumed == 0 and not path.exists()
    other.remove()


def test_schedule_is_a_seeded_permutation() -> None:
    wanted = {"a": (0, 5), "b": (3, 6)}
    one = schedule_round(1, wanted)
    assert sorted(one) == [("a", k) for k in range(5)] + [("b", k) for k in range(3, 6)]
    assert schedule_round(1, wanted) == one
    assert schedule_round(2, wanted) != one
