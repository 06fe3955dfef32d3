"""Figures computed from the rows as they are written: counts per split, priority, scenario,
conversation lengths, and one real example row for the card. Memory grows with the number of
distinct scenarios and lengths, never with the number of rows."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hestai_datagen.examples.model import Example


class DatasetStats(BaseModel):
    """Counts of the rows of one dataset folder."""

    model_config = ConfigDict(extra="forbid")

    splits: dict[str, int] = Field(default_factory=dict)
    priorities: dict[str, dict[str, int]] = Field(default_factory=dict)
    scenarios: dict[str, dict[str, int]] = Field(default_factory=dict)
    scenario_priority: dict[str, str] = Field(default_factory=dict)
    conversation_lengths: dict[int, int] = Field(default_factory=dict)
    tool_calls: int = 0
    rejects: int = 0

    def total(self) -> int:
        """All rows, every split."""
        return sum(self.splits.values())

    def to_json_dict(self) -> dict[str, Any]:
        """Sorted, JSON-ready figures (for ``stats.json`` and the manifest)."""
        return {
            "rows": self.total(),
            "splits": dict(sorted(self.splits.items())),
            "priorities": {k: dict(sorted(v.items())) for k, v in sorted(self.priorities.items())},
            "scenarios": {k: dict(sorted(v.items())) for k, v in sorted(self.scenarios.items())},
            "conversation_lengths": {
                str(k): v for k, v in sorted(self.conversation_lengths.items())
            },
            "tool_calls": self.tool_calls,
            "rejects": self.rejects,
        }


class StatsCollector:
    """Accumulates :class:`DatasetStats` and keeps the shortest train row as the card's example."""

    def __init__(self) -> None:
        self._splits: Counter[str] = Counter()
        self._priorities: dict[str, Counter[str]] = {}
        self._scenarios: dict[str, Counter[str]] = {}
        self._scenario_priority: dict[str, str] = {}
        self._lengths: Counter[int] = Counter()
        self._tool_calls = 0
        self.rejects = 0
        self.example_line: bytes | None = None
        self._example_split: str | None = None

    def add(self, example: Example, split: str, line: bytes) -> None:
        """Count one written row."""
        self._splits[split] += 1
        self._priorities.setdefault(example.priority, Counter())[split] += 1
        self._scenarios.setdefault(example.scenario, Counter())[split] += 1
        self._scenario_priority.setdefault(example.scenario, example.priority)
        self._lengths[len(example.messages)] += 1
        self._tool_calls += sum(len(m.tool_calls) for m in example.messages)
        if self._better_example(split, line):
            self.example_line = line
            self._example_split = split

    def _better_example(self, split: str, line: bytes) -> bool:
        if self.example_line is None:
            return True
        if (split == "train") != (self._example_split == "train"):
            return split == "train"
        return len(line) < len(self.example_line)

    def stats(self) -> DatasetStats:
        """The figures so far."""
        return DatasetStats(
            splits=dict(self._splits),
            priorities={k: dict(v) for k, v in self._priorities.items()},
            scenarios={k: dict(v) for k, v in self._scenarios.items()},
            scenario_priority=dict(self._scenario_priority),
            conversation_lengths=dict(self._lengths),
            tool_calls=self._tool_calls,
            rejects=self.rejects,
        )
