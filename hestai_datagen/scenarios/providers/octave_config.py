"""Provider ``octave_config``: an OCTAVE role config written, broken and diagnosed by our own code.

The config is built as data from the ``roles.catalog`` vocabulary and emitted by the project's
OCTAVE emitter, so every OCTAVE text an answer shows is canonical by construction. For
validation tasks one defect is injected into the text and the project's strict checker produces
the diagnostic the answer explains: nothing about OCTAVE is typed by hand in a template.

``context_args``: ``defect`` — ``none`` (default), ``any``, or one defect name of ``DEFECTS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hestai_datagen.scenarios.providers.base import ProviderInput, ProviderOutput

NAME = "octave_config"
VARIABLES = frozenset(
    {
        "role",
        "octave_name",
        "octave_data",
        "octave_text",
        "octave_json",
        "query_path",
        "query_value",
        "defect",
        "broken_text",
        "diagnostic",
        "diagnostic_line_text",
    }
)


def _config_data(role: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    version = f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
    tools = list(role["tools"])
    skills = list(role["skills"])
    rng.shuffle(tools)
    return {
        "META": {
            "TYPE": "ROLE_CONFIG",
            "VERSION": version,
            "STATUS": rng.choice(["ACTIVE", "DRAFT"]),
        },
        "ROLE": {
            "NAME": role["name"].upper(),
            "ARCHETYPE": role["archetype"],
            "MISSION": role["mission"],
        },
        "CONTEXT": {
            "SHANK": role["shank"],
            "ARM": tools[: rng.randint(2, len(tools))],
            "FLUKE": "USER_QUERY⊕SESSION_HISTORY",
        },
        "SKILLS": skills,
        "CONSTRAINTS": {
            "SAFETY": "CONSTITUTIONAL_CHECK_BEFORE_RESPONSE",
            "HANDOFF": f"SWITCH_ROLE→{role['handoff'].upper()}",
        },
    }


def _tab(lines: list[str], rng: random.Random) -> list[str]:
    indented = [i for i, line in enumerate(lines) if line.startswith("  ")]
    i = indented[rng.randrange(len(indented))]
    lines[i] = "\t" + lines[i][2:]
    return lines


def _single_colon(lines: list[str], rng: random.Random) -> list[str]:
    candidates = [i for i, line in enumerate(lines) if "::" in line and not line.startswith("=")]
    i = candidates[rng.randrange(len(candidates))]
    lines[i] = lines[i].replace("::", ": ", 1)
    return lines


def _unbalanced(lines: list[str], rng: random.Random) -> list[str]:
    candidates = [i for i, line in enumerate(lines) if line.rstrip().endswith("]")]
    i = candidates[rng.randrange(len(candidates))]
    lines[i] = lines[i].rstrip()[:-1]
    return lines


def _envelope(lines: list[str], rng: random.Random) -> list[str]:
    name = lines[0].strip("=")
    lines[0] = f"==={name.lower().replace('_', '-')}==="
    return lines


DEFECTS: dict[str, Callable[[list[str], random.Random], list[str]]] = {
    "tab_indent": _tab,
    "single_colon": _single_colon,
    "unbalanced_bracket": _unbalanced,
    "bad_envelope": _envelope,
}


def provide(given: ProviderInput) -> ProviderOutput:
    """Build, emit and (optionally) break one role config."""
    from hestai_datagen.octave import check, emit, from_data, parse, query, to_data

    rng = given.rng
    roles = given.resources.vocabularies.get("roles.catalog")
    role = given.slots.get("role") or roles[rng.randrange(len(roles))]
    name = f"{role['name'].upper()}_ROLE_CONFIG"
    document = from_data(name, _config_data(role, rng))
    text = emit(document, dialect="current")
    reparsed = parse(text, strict=True)
    data = to_data(reparsed)
    path = rng.choice(["ROLE.ARCHETYPE", "META.VERSION", "CONTEXT.ARM", "CONSTRAINTS.HANDOFF"])
    wanted = given.args.get("defect", "none")
    defect = rng.choice(sorted(DEFECTS)) if wanted == "any" else wanted
    broken = text
    diagnostic: dict[str, Any] = {}
    line_text = ""
    if defect != "none":
        lines = DEFECTS[defect](text.splitlines(), rng)
        broken = "\n".join(lines) + "\n"
        found = [d for d in check(broken, strict=True) if d.severity == "error"]
        if not found:
            raise ValueError(f"defect {defect!r} was not detected by the strict checker")
        first = found[0]
        diagnostic = first.model_dump(mode="json")
        line_text = broken.splitlines()[first.line - 1] if first.line >= 1 else ""
    return ProviderOutput(
        variables={
            "role": role,
            "octave_name": name,
            "octave_data": data,
            "octave_text": text.rstrip("\n"),
            "octave_json": data,
            "query_path": path,
            "query_value": query(reparsed, path),
            "defect": defect,
            "broken_text": broken.rstrip("\n"),
            "diagnostic": diagnostic,
            "diagnostic_line_text": line_text,
        }
    )
