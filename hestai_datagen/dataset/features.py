"""The column types of a dataset row, for ``datasets`` and Arrow alike.

One ``datasets.Features`` describes an :class:`~hestai_datagen.examples.model.Example` row, and a
second one a quality-gate reject row. Free-form JSON (tool-call arguments, tool definitions, slot
values, the rejected row) stays JSON *text*, and nullable columns are declared with their real
type, so neither the Hub's viewer nor ``datasets.load_dataset`` ever infers a ``null`` column or
has to cast between shards.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from datasets import Features, List, Value

_STRING = Value("string")


def example_features() -> Features:
    """The features of one training example, in the row model's key order."""
    tool_call = {
        "id": _STRING,
        "type": _STRING,
        "function": {"name": _STRING, "arguments": _STRING},
    }
    message = {
        "role": _STRING,
        "content": _STRING,
        "tool_calls": List(tool_call),
        "tool_call_id": _STRING,
    }
    trace_message = {
        "direction": _STRING,
        "transport": _STRING,
        "protocol_version": _STRING,
        "raw": _STRING,
        "http_method": _STRING,
        "http_status": Value("int64"),
        "http_headers": List({"name": _STRING, "value": _STRING}),
        "framing": _STRING,
        "intentionally_invalid": Value("bool"),
    }
    meta = {
        "template_hash": _STRING,
        "seed": Value("int64"),
        "index": Value("int64"),
        "generator_version": _STRING,
        "instance": _STRING,
        "slots": _STRING,
        "mcp_sdk_version": _STRING,
    }
    return Features(
        {
            "id": _STRING,
            "priority": _STRING,
            "domain": _STRING,
            "scenario": _STRING,
            "spec_refs": List(_STRING),
            "messages": List(message),
            "tools": _STRING,
            "trace": List(trace_message),
            "meta": meta,
        }
    )


def reject_features() -> Features:
    """The features of one ``rejects.jsonl`` row (what the quality gate threw away, and why)."""
    return Features(
        {
            "id": _STRING,
            "scenario": _STRING,
            "index": Value("int64"),
            "check_id": _STRING,
            "severity": _STRING,
            "reason": _STRING,
            "findings": List(
                {
                    "check_id": _STRING,
                    "severity": _STRING,
                    "reason": _STRING,
                    "message_index": Value("int64"),
                }
            ),
            "row": _STRING,
        }
    )


def example_schema() -> pa.Schema:
    """The Arrow schema of an example row (carries the ``datasets`` features as metadata)."""
    schema: pa.Schema = example_features().arrow_schema
    return schema


def features_yaml(features: Features) -> list[dict[str, Any]]:
    """The features as the card's ``dataset_info.features`` YAML list (``datasets``' own form)."""
    as_yaml: list[dict[str, Any]] = features._to_yaml_list()
    return as_yaml
