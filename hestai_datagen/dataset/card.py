"""The dataset card (``README.md``): YAML metadata the Hub and ``datasets`` read, and a body that
says what the data teaches, where it came from and what is in it, with the build's true figures.

The YAML declares the default config's ``data_files`` per split and its features (so nullable
columns are never inferred as ``null``), and ``rejects.jsonl`` as a separate ``rejects`` config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from hestai_datagen.dataset.charts import LENGTH_CHART, PRIORITY_CHART, SCENARIO_CHART
from hestai_datagen.dataset.features import example_features, features_yaml, reject_features
from hestai_datagen.dataset.info import BuildInfo
from hestai_datagen.dataset.splits import HELDOUT
from hestai_datagen.dataset.stats import DatasetStats

REJECTS_FILE = "rejects.jsonl"
REJECTS_PARQUET = "rejects.parquet"
REJECTS_CONFIG = "rejects"
REJECTS_SPLIT = "rejected"
_SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
)


@dataclass(frozen=True)
class CardInput:
    """Everything the card shows, all computed from the written rows or given by the build."""

    info: BuildInfo
    stats: DatasetStats
    data_format: str
    shard_counts: dict[str, int]
    split_arrow_bytes: dict[str, int]
    reject_arrow_bytes: int
    example_line: bytes | None


def rejects_config_file(data_format: str) -> str:
    """The rejects file the card's ``rejects`` config names: ``datasets`` reads one file format
    per dataset, so a parquet build also has its rejects as parquet (``rejects.jsonl`` is always
    there too)."""
    return REJECTS_PARQUET if data_format == "parquet" else REJECTS_FILE


def size_category(rows: int) -> str:
    """The Hub's size category for a row count."""
    for limit, name in _SIZE_CATEGORIES:
        if rows < limit:
            return name
    return "n>10M"


def card_metadata(card: CardInput) -> dict[str, Any]:
    """The YAML front matter as a dict (stable key order)."""
    splits = [s for s in card.info.splits.split_names() if card.stats.splits.get(s, 0) > 0]
    ext = card.data_format
    configs: list[dict[str, Any]] = [
        {
            "config_name": "default",
            "default": True,
            "data_files": [{"split": s, "path": f"data/{s}-*.{ext}"} for s in splits],
        }
    ]
    infos: list[dict[str, Any]] = [
        {
            "config_name": "default",
            "features": features_yaml(example_features()),
            "splits": [
                {
                    "name": s,
                    "num_bytes": card.split_arrow_bytes.get(s, 0),
                    "num_examples": card.stats.splits[s],
                }
                for s in splits
            ],
        }
    ]
    if card.stats.rejects:  # ``datasets`` refuses a config whose files hold no rows
        configs.append(
            {
                "config_name": REJECTS_CONFIG,
                "data_files": [{"split": REJECTS_SPLIT, "path": rejects_config_file(ext)}],
            }
        )
        infos.append(
            {
                "config_name": REJECTS_CONFIG,
                "features": features_yaml(reject_features()),
                "splits": [
                    {
                        "name": REJECTS_SPLIT,
                        "num_bytes": card.reject_arrow_bytes,
                        "num_examples": card.stats.rejects,
                    }
                ],
            }
        )
    return {
        "license": card.info.license,
        "language": list(card.info.language),
        "pretty_name": card.info.pretty_name,
        "task_categories": ["text-generation"],
        "tags": ["synthetic", "tool-calling", "function-calling", "mcp", "octave", "hestai"],
        "size_categories": [size_category(card.stats.total())],
        "configs": configs,
        "dataset_info": infos,
    }


def render_card(card: CardInput) -> str:
    """The whole ``README.md``."""
    front = yaml.safe_dump(card_metadata(card), sort_keys=False, allow_unicode=True, width=100)
    sections = [
        _intro(card),
        _row_format(card),
        _counts(card),
        _coverage(card),
        _checks(card),
        _charts(),
        _reproduce(card),
    ]
    return f"---\n{front}---\n\n" + "\n\n".join(s.strip() for s in sections) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _intro(card: CardInput) -> str:
    info, stats = card.info, card.stats
    priorities = ", ".join(f"{p} ({sum(v.values())})" for p, v in sorted(stats.priorities.items()))
    split_text = ", ".join(f"{s}: {stats.splits.get(s, 0)}" for s in info.splits.split_names())
    description = info.spec_description.strip() or "(the spec gives no description)"
    lines = [
        f"# {info.pretty_name}",
        "",
        "Synthetic, verified fine-tuning conversations that teach a model the behaviour the spec "
        f"**{info.spec_name}** asks for: {stats.total()} chat examples with tool calls "
        f"({stats.tool_calls} tool calls in all) over {len(stats.scenarios)} scenarios, "
        f"by priority {priorities}.",
        "",
        f"The spec it came from: `{info.spec_path}` (sha256 `{info.spec_sha256}`): {description}",
        "",
        f"Splits ({split_text}) are assigned per template instance and near-duplicate group, "
        "so no conversation or near copy of one appears in two splits.",
    ]
    heldout = info.splits.heldout
    if heldout is not None and not heldout.is_empty():
        held = [f"scenario `{s}`" for s in heldout.scenarios] + [
            f"slot `{k}` = `{v}`"
            for k, values in sorted(heldout.slot_values.items())
            for v in values
        ]
        lines += [
            "",
            f"The `{HELDOUT}` split holds examples never seen in training, to measure "
            f"generalization: {', '.join(held)}.",
        ]
    return "\n".join(lines)


def _row_format(card: CardInput) -> str:
    lines = [
        "## Row format",
        "",
        "Every row has the same keys. `messages` is the conversation in the OpenAI chat format "
        "(assistant `tool_calls` with `arguments` as JSON text, `tool` turns with "
        "`tool_call_id`); `tools` is the JSON text of the offered tool definitions; `trace` "
        "keeps the real MCP messages behind the conversation; `meta` says how to make the row "
        "again. Free-form JSON is kept as text so every shard has one schema. "
        f"Shards are {card.data_format.upper()} files under `data/`.",
        "",
        _table(
            ["column", "type"],
            [[str(f["name"]), _type_name(f)] for f in features_yaml(example_features())],
        ),
    ]
    if card.example_line is not None:
        pretty = orjson.dumps(orjson.loads(card.example_line), option=orjson.OPT_INDENT_2)
        lines += [
            "",
            "One example row of this build (the shortest training example):",
            "",
            "```json",
            pretty.decode(),
            "```",
        ]
    return "\n".join(lines)


def _type_name(feature: dict[str, Any]) -> str:
    if "dtype" in feature:
        return str(feature["dtype"])
    if "list" in feature:
        inner = feature["list"]
        return f"list of {inner}" if isinstance(inner, str) else "list of struct"
    return "struct"


def _counts(card: CardInput) -> str:
    stats = card.stats
    splits = [s for s in card.info.splits.split_names() if stats.splits.get(s, 0) > 0]
    by_split = _table(
        ["split", "examples", "shards"],
        [[s, str(stats.splits.get(s, 0)), str(card.shard_counts.get(s, 0))] for s in splits]
        + [["all", str(stats.total()), str(sum(card.shard_counts.values()))]],
    )
    by_priority = _table(
        ["priority", *splits, "all"],
        [
            [p, *(str(v.get(s, 0)) for s in splits), str(sum(v.values()))]
            for p, v in sorted(stats.priorities.items())
        ],
    )
    by_scenario = _table(
        ["scenario", "priority", *splits, "all"],
        [
            [
                sc,
                stats.scenario_priority.get(sc, ""),
                *(str(v.get(s, 0)) for s in splits),
                str(sum(v.values())),
            ]
            for sc, v in sorted(stats.scenarios.items())
        ],
    )
    return "\n".join(
        [
            "## Counts",
            "",
            "Per split:",
            "",
            by_split,
            "",
            "Per priority:",
            "",
            by_priority,
            "",
            "Per scenario:",
            "",
            by_scenario,
            "",
            _rejects_line(card),
        ]
    )


def _rejects_line(card: CardInput) -> str:
    rejects = card.stats.rejects
    if not rejects:
        return (
            f"The quality gate rejected no candidate row (`{REJECTS_FILE}` is empty, so the card "
            f"declares no `{REJECTS_CONFIG}` config)."
        )
    return (
        f"The quality gate rejected {rejects} candidate row{'' if rejects == 1 else 's'}; they are "
        f"in `{rejects_config_file(card.data_format)}` (config `{REJECTS_CONFIG}`) with the check "
        "that failed, so they can be audited."
    )


def _coverage(card: CardInput) -> str:
    plan = card.info.plan
    if not plan:
        return "## Spec coverage\n\nThe build reported no plan for this dataset."
    covered = sum(1 for row in plan if row.produced > 0)
    table = _table(
        ["spec reference", "priority", "templates", "planned", "produced"],
        [
            [
                f"`{row.spec_ref}`",
                row.priority,
                ", ".join(row.templates) or "-",
                str(row.planned),
                str(row.produced),
            ]
            for row in plan
        ],
    )
    return f"## Spec coverage\n\n{covered} of {len(plan)} spec references have examples.\n\n{table}"


def _checks(card: CardInput) -> str:
    checks = card.info.checks
    lines = ["## Checks every row passed", ""]
    if checks:
        lines.append(_table(["check", "what it verifies"], [[c.id, c.description] for c in checks]))
    else:
        lines.append("The build reported no checks.")
    if card.info.gate_stats:
        gate = orjson.dumps(card.info.gate_stats, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        lines += ["", "Quality gate figures (also in `stats.json`):", "", "```json"]
        lines += [gate.decode(), "```"]
    return "\n".join(lines)


def _charts() -> str:
    return "\n".join(
        [
            "## Charts",
            "",
            f"![Examples per priority]({PRIORITY_CHART})",
            "",
            f"![Examples per scenario]({SCENARIO_CHART})",
            "",
            f"![Conversation lengths]({LENGTH_CHART})",
        ]
    )


def _reproduce(card: CardInput) -> str:
    info = card.info
    sources = [
        ["spec", f"`{info.spec_path}`", f"`{info.spec_sha256}`"],
    ]
    if info.config_path is not None:
        sources.append(["config", f"`{info.config_path}`", f"`{info.config_sha256 or ''}`"])
    sources += [
        ["template", f"`{name}`", f"`{sha}`"] for name, sha in sorted(info.templates.items())
    ]
    return "\n".join(
        [
            "## How to reproduce",
            "",
            f"Generator version `{info.generator_version}`, seed `{info.seed}`. Run:",
            "",
            "```sh",
            info.reproduce,
            "```",
            "",
            "The same inputs give byte-identical files; `manifest.json` holds the sha256 and row "
            "count of every shard, and `hestai-datagen validate FOLDER` checks a copy against it.",
            "",
            _table(["input", "path", "sha256"], sources),
        ]
    )
