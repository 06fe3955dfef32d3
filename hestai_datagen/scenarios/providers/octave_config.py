"""Provider ``octave_config``: an OCTAVE document written, broken and diagnosed by our own code.

The document is built as data from vocabularies and emitted by the project's OCTAVE emitter, so
every OCTAVE text an answer shows is canonical by construction. For validation tasks one defect
is injected into the text and the project's strict checker produces the diagnostic the answer
explains: nothing about OCTAVE is typed by hand in a template.

``context_args``:

* ``kind`` — ``role`` (default: a role config from ``roles.catalog``), ``mcp_server`` (an MCP
  server config from ``p2_octave.mcp_servers``), ``pipeline`` (a SHANK→ARM→FLUKE assembly
  pipeline for a role) or ``any``;
* ``defect`` — ``none`` (default), ``any`` (one of the defects the strict checker reports as an
  error), one name of ``DEFECTS`` (``missing_meta`` is the only one that is a warning), or a
  list of names to draw from (a ``kind`` list works the same way).

Variables (besides the document in every form):

* ``octave_text_2025`` — the same document in the 2025 dialect of the user's spec (ASCII
  operators, ``===END_NAME===``, ``\"\"\"`` strings); verified to read back to the same data;
* ``query_path``/``query_value``/``query_question`` and ``query2_*`` — two different paths;
* ``missing_path``/``missing_error`` — a misspelt path and the query error it raises, with
  ``missing_target``/``missing_value``/``missing_question`` for the path that was meant;
* ``tools_path``/``tools_list``/``probe_tool``/``probe_available`` — tool availability;
* ``extension`` (``key``, ``ask``, ``data``) and ``extended_text`` — the document with one more
  section, emitted by the emitter;
* ``description`` — plain-English sentences stating every fact of the document.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hestai_datagen.scenarios.providers.base import ProviderInput, ProviderOutput

NAME = "octave_config"
VARIABLES = frozenset(
    {
        "kind",
        "role",
        "subject",
        "octave_name",
        "octave_data",
        "octave_text",
        "octave_json",
        "octave_text_2025",
        "query_path",
        "query_value",
        "query_question",
        "query2_path",
        "query2_value",
        "query2_question",
        "missing_path",
        "missing_error",
        "missing_target",
        "missing_value",
        "missing_question",
        "tools_path",
        "tools_list",
        "probe_tool",
        "probe_available",
        "extension",
        "extended_text",
        "description",
        "defect",
        "defect_severity",
        "broken_text",
        "diagnostic",
        "diagnostic_line_text",
        "diagnostic_report",
    }
)
KINDS = ("role", "mcp_server", "pipeline")

# Questions a user asks about a path, per kind (``{name}`` is the document's subject).
QUESTIONS: dict[str, dict[str, str]] = {
    "role": {
        "ROLE.ARCHETYPE": "Which archetype (domain) does the {name} role belong to?",
        "META.VERSION": "Which version of the {name} config is this?",
        "CONTEXT.ARM": "Which tools does the ARM stage attach for the {name} role?",
        "CONSTRAINTS.HANDOFF": "Where does the {name} role hand over to?",
        "SKILLS": "What skills does the {name} role have?",
        "CONTEXT.SHANK": "What goes into the {name} role's SHANK?",
    },
    "mcp_server": {
        "TRANSPORT.TYPE": "Which transport does the {name} server use?",
        "TOOLS": "Which tools does the {name} server expose?",
        "LIMITS.CALL_TIMEOUT_S": "What is the call timeout for {name}?",
        "LIMITS.MAX_CONCURRENT_CALLS": "How many concurrent calls does {name} allow?",
        "SERVER.DOMAIN": "Which domain is {name} filed under?",
        "LIFECYCLE": "What session lifecycle does the {name} config declare?",
    },
    "pipeline": {
        "PIPELINE.FLOW": "In which order does the {name} pipeline assemble the context?",
        "SHANK.LOADS": "What does the SHANK stage of {name} load?",
        "ARM.TOOLS": "Which tools does {name} attach in the ARM stage?",
        "FLUKE.MAX_HISTORY_TURNS": "How many history turns does {name} keep in FLUKE?",
        "ROLE_SWITCH.MODIFICATION": "What happens to the context on a role switch in {name}?",
        "SAFETY.ON_VIOLATION": "What does {name} do when the safety check fails?",
    },
}
TOOLS_PATH = {"role": "CONTEXT.ARM", "mcp_server": "TOOLS", "pipeline": "ARM.TOOLS"}
ASCII_OPERATORS = {"→": "->", "⊕": "+", "⧺": "~", "⇌": " vs ", "∧": "&", "∨": "|"}


def _version(rng: random.Random) -> str:
    return f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"


def _meta(kind_type: str, rng: random.Random) -> dict[str, Any]:
    return {
        "TYPE": kind_type,
        "VERSION": _version(rng),
        "STATUS": rng.choice(["ACTIVE", "DRAFT"]),
        "UPDATED": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def _role_data(role: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    tools = list(role["tools"])
    rng.shuffle(tools)
    return {
        "META": _meta("ROLE_CONFIG", rng),
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
        "SKILLS": list(role["skills"]),
        "CONSTRAINTS": {
            "SAFETY": "CONSTITUTIONAL_CHECK_BEFORE_RESPONSE",
            "HANDOFF": f"SWITCH_ROLE→{role['handoff'].upper()}",
        },
    }


def _server_data(server: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    transports = ["STDIO", "STREAMABLE_HTTP"] if server["local"] else ["STREAMABLE_HTTP", "SSE"]
    transport_type = rng.choice(transports)
    transport: dict[str, Any] = {"TYPE": transport_type}
    if transport_type == "STDIO":
        transport["COMMAND"] = f"python -m {server['module']}"
    else:
        port = rng.choice([8000, 8080, 9000])
        path = "sse" if transport_type == "SSE" else "mcp"
        transport["URL"] = f"http://{server['host']}:{port}/{path}"
        transport["SESSION"] = (
            "STATEFUL" if transport_type == "SSE" else rng.choice(["STATEFUL", "STATELESS"])
        )
    tools = list(server["tools"])
    rng.shuffle(tools)
    return {
        "META": _meta("MCP_SERVER_CONFIG", rng),
        "SERVER": {
            "NAME": server["name"].upper(),
            "DOMAIN": server["domain"],
            "PURPOSE": server["purpose"],
        },
        "TRANSPORT": transport,
        "TOOLS": tools,
        "LIFECYCLE": ["INITIALIZE→LIST_TOOLS→INVOKE→TERMINATE"],
        "LIMITS": {
            "CALL_TIMEOUT_S": rng.choice([10, 15, 30, 60]),
            "MAX_CONCURRENT_CALLS": rng.choice([4, 8, 16]),
        },
    }


def _pipeline_data(role: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    tools = list(role["tools"])
    rng.shuffle(tools)
    return {
        "META": _meta("ASSEMBLY_PIPELINE", rng),
        "PIPELINE": {
            "NAME": f"{role['name'].upper()}_ASSEMBLY",
            "ROLE": role["name"].upper(),
            "FLOW": ["SHANK→ARM→FLUKE"],
        },
        "SHANK": {
            "LOADS": role["shank"].split("⊕"),
            "CACHEABLE": True,
        },
        "ARM": {
            "TOOLS": tools[: rng.randint(2, len(tools))],
            "SKILLS": list(role["skills"]),
            "SOURCE": "ODYSSEAN_ANCHOR",
        },
        "FLUKE": {
            "APPENDS": ["SESSION_HISTORY", "USER_QUERY"],
            "MAX_HISTORY_TURNS": rng.choice([6, 10, 12, 20]),
        },
        "ROLE_SWITCH": {
            "TRIGGER": f"<<SwitchRole: '{role['handoff']}'>>",
            "MODIFICATION": "BUFFER_REPLACEMENT",
            "KEEP": "FLUKE",
        },
        "SAFETY": {
            "CHECK": "CONSTITUTIONAL",
            "ON_VIOLATION": rng.choice(["REFUSE", "REDACT∨REFUSE"]),
        },
    }


def _words(items: list[Any]) -> str:
    texts = [str(i) for i in items]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def _describe(kind: str, data: dict[str, Any]) -> list[str]:
    """Plain-English sentences that state every fact of ``data`` (the user's description)."""
    meta = data["META"]
    head = (
        f"Metadata: type {meta['TYPE']}, version {meta['VERSION']}, status {meta['STATUS']},"
        f" last updated {meta['UPDATED']}."
    )
    if kind == "role":
        r, c, k = data["ROLE"], data["CONTEXT"], data["CONSTRAINTS"]
        return [
            head,
            f"The role is {r['NAME']}, archetype {r['ARCHETYPE']}, with the mission"
            f' "{r["MISSION"]}".',
            f"Its SHANK is {c['SHANK']}; the ARM attaches the tools {_words(c['ARM'])}; the"
            f" FLUKE is {c['FLUKE']}.",
            f"Skills: {_words(data['SKILLS'])}.",
            f"Constraints: safety {k['SAFETY']}, handoff {k['HANDOFF']}.",
        ]
    if kind == "mcp_server":
        s, t, lim = data["SERVER"], data["TRANSPORT"], data["LIMITS"]
        if t["TYPE"] == "STDIO":
            where = f"over {t['TYPE']}, launched with `{t['COMMAND']}`"
        else:
            where = f"over {t['TYPE']} at {t['URL']}, sessions {t['SESSION']}"
        return [
            head,
            f'The server is {s["NAME"]} in domain {s["DOMAIN"]}, purpose "{s["PURPOSE"]}".',
            f"It is reached {where}.",
            f"It exposes the tools {_words(data['TOOLS'])}.",
            f"Lifecycle: {data['LIFECYCLE'][0]}.",
            f"Limits: call timeout {lim['CALL_TIMEOUT_S']} s, at most"
            f" {lim['MAX_CONCURRENT_CALLS']} concurrent calls.",
        ]
    p, sh, arm, fl = data["PIPELINE"], data["SHANK"], data["ARM"], data["FLUKE"]
    sw, sa = data["ROLE_SWITCH"], data["SAFETY"]
    return [
        head,
        f"The pipeline is {p['NAME']} for the role {p['ROLE']}, flow {p['FLOW'][0]}.",
        f"SHANK loads {_words(sh['LOADS'])} and is cacheable.",
        f"ARM attaches the tools {_words(arm['TOOLS'])} and the skills {_words(arm['SKILLS'])},"
        f" sourced from {arm['SOURCE']}.",
        f"FLUKE appends {_words(fl['APPENDS'])}, keeping at most {fl['MAX_HISTORY_TURNS']} turns"
        " of history.",
        f"Role switch: trigger {sw['TRIGGER']}, modification {sw['MODIFICATION']}, keep"
        f" {sw['KEEP']}.",
        f"Safety: check {sa['CHECK']}, on violation {sa['ON_VIOLATION']}.",
    ]


# -- defects --------------------------------------------------------------------------------


def _indices(lines: list[str], test: Callable[[str], bool]) -> list[int]:
    return [i for i, line in enumerate(lines) if test(line)]


def _pick(lines: list[str], test: Callable[[str], bool], rng: random.Random) -> int:
    found = _indices(lines, test)
    if not found:
        raise ValueError("no line to break")
    return found[rng.randrange(len(found))]


def _tab(lines: list[str], rng: random.Random) -> list[str]:
    i = _pick(lines, lambda line: line.startswith("  "), rng)
    lines[i] = "\t" + lines[i][2:]
    return lines


def _assigned_word(line: str) -> bool:
    _, sep, value = line.partition("::")
    keyword = value.split("→")[0] in ("true", "false", "null")
    return bool(sep) and not line.startswith("=") and value[:1].isalpha() and not keyword


def _single_colon(lines: list[str], rng: random.Random) -> list[str]:
    i = _pick(lines, _assigned_word, rng)
    lines[i] = lines[i].replace("::", ": ", 1)
    return lines


def _unbalanced(lines: list[str], rng: random.Random) -> list[str]:
    i = _pick(lines, lambda line: line.rstrip().endswith("]"), rng)
    lines[i] = lines[i].rstrip()[:-1]
    return lines


def _envelope(lines: list[str], rng: random.Random) -> list[str]:
    name = lines[0].strip("=")
    lines[0] = f"==={name.lower().replace('_', '-')}==="
    return lines


def _yaml_list(lines: list[str], rng: random.Random) -> list[str]:
    i = _pick(lines, lambda line: "::[" in line and "→" not in line, rng)
    head, _, rest = lines[i].partition("::[")
    pad = " " * (len(head) - len(head.lstrip(" ")))
    items = [item.strip() for item in rest.rstrip().rstrip("]").split(",")]
    return [*lines[:i], f"{head}:", *(f"{pad}  - {item}" for item in items), *lines[i + 1 :]]


def _json_object(lines: list[str], rng: random.Random) -> list[str]:
    i = _pick(lines, lambda line: "::[" in line and "→" not in line, rng)
    head, _, rest = lines[i].partition("::[")
    items = [item.strip() for item in rest.rstrip().rstrip("]").split(",")]
    lines[i] = f"{head}::{{" + ", ".join(f'"{item}": true' for item in items) + "}"
    return lines


def _timestamp(lines: list[str], rng: random.Random) -> list[str]:
    i = _pick(lines, lambda line: line.strip().startswith("UPDATED::"), rng)
    lines[i] = lines[i].replace('"', "")
    return lines


def _missing_end(lines: list[str], rng: random.Random) -> list[str]:
    return [line for line in lines if line != "===END==="]


def _missing_meta(lines: list[str], rng: random.Random) -> list[str]:
    out = [lines[0]]
    skipping = False
    for line in lines[1:]:
        if line == "META:":
            skipping = True
            continue
        if skipping and line.startswith("  "):
            continue
        skipping = False
        out.append(line)
    return out


DEFECTS: dict[str, Callable[[list[str], random.Random], list[str]]] = {
    "tab_indent": _tab,
    "single_colon": _single_colon,
    "unbalanced_bracket": _unbalanced,
    "bad_envelope": _envelope,
    "yaml_list": _yaml_list,
    "json_object": _json_object,
    "unquoted_timestamp": _timestamp,
    "missing_end": _missing_end,
    "missing_meta": _missing_meta,
}
#: Defects that are warnings, not errors (excluded from ``defect: any``).
WARNING_DEFECTS = frozenset({"missing_meta"})


def _to_2025(text: str, name: str) -> str:
    """The 2025-dialect spelling of a current-dialect text (checked by the caller)."""
    lines = text.rstrip("\n").split("\n")
    out = []
    for line in lines:
        if line == "===END===":
            out.append(f"===END_{name}===")
            continue
        for unicode_op, ascii_op in ASCII_OPERATORS.items():
            line = line.replace(unicode_op, ascii_op)
        out.append(line)
    return "\n".join(out) + "\n"


def _choose_kind(given: ProviderInput) -> str:
    wanted = given.args.get("kind", "role")
    if isinstance(wanted, list):
        wanted = wanted[given.rng.randrange(len(wanted))]
    if wanted == "any":
        return KINDS[given.rng.randrange(len(KINDS))]
    if wanted not in KINDS:
        raise ValueError(f"unknown kind {wanted!r} (known: any, {', '.join(KINDS)})")
    return str(wanted)


def _misspell(path: str, rng: random.Random) -> str:
    segments = path.split(".")
    i = rng.randrange(len(segments))
    word = segments[i]
    edits = [word + "S", word[:-1], word.lower(), word[0] + word[2] + word[1] + word[3:]]
    candidates = [e for e in edits if e != word and len(e) > 1]
    segments[i] = candidates[rng.randrange(len(candidates))]
    return ".".join(segments)


def provide(given: ProviderInput) -> ProviderOutput:
    """Build, emit and (optionally) break one OCTAVE document."""
    from hestai_datagen.octave import (
        OctavePathError,
        check,
        emit,
        format_all,
        from_data,
        parse,
        query,
        to_data,
    )

    rng = given.rng
    kind = _choose_kind(given)
    vocab = given.resources.vocabularies
    roles = vocab.get("roles.catalog")
    role = given.slots.get("role") or roles[rng.randrange(len(roles))]
    if kind == "mcp_server":
        servers = vocab.get("p2_octave.mcp_servers")
        subject = given.slots.get("server") or servers[rng.randrange(len(servers))]
        name = f"{subject['name'].upper()}_MCP_CONFIG"
        source = _server_data(subject, rng)
        all_tools = sorted({t for s in servers for t in s["tools"]})
    else:
        subject = role
        suffix = "ROLE_CONFIG" if kind == "role" else "ASSEMBLY_PIPELINE"
        name = f"{role['name'].upper()}_{suffix}"
        source = _role_data(role, rng) if kind == "role" else _pipeline_data(role, rng)
        all_tools = sorted({t for r in roles for t in r["tools"]})
    document = from_data(name, source)
    text = emit(document, dialect="current")
    reparsed = parse(text, strict=True)
    data = to_data(reparsed)

    text_2025 = _to_2025(text, name)
    if to_data(parse(text_2025)) != data or emit(parse(text_2025), dialect="current") != text:
        raise ValueError(f"2025 spelling of {name} does not read back to the same document")

    paths = list(QUESTIONS[kind])
    rng.shuffle(paths)
    label = str(subject["name"])
    missing_path = _misspell(paths[2], rng)
    try:
        query(reparsed, missing_path)
    except OctavePathError as exc:
        missing_error = str(exc)
    else:  # pragma: no cover - a misspelt key never exists
        raise ValueError(f"misspelt path {missing_path!r} exists")

    tools_path = TOOLS_PATH[kind]
    tools_list = query(reparsed, tools_path)
    absent = [t for t in all_tools if t not in tools_list]
    probe_available = bool(rng.random() < 0.5 or not absent)
    probe_tool = rng.choice(tools_list) if probe_available else rng.choice(absent)

    extensions = vocab.get(f"p2_octave.extensions_{kind}")
    extension = extensions[rng.randrange(len(extensions))]
    extended_text = emit(from_data(name, {**source, extension["key"]: extension["data"]}))
    parse(extended_text, strict=True)

    wanted = given.args.get("defect", "none")
    errors = sorted(set(DEFECTS) - WARNING_DEFECTS)
    if isinstance(wanted, list):
        wanted = wanted[rng.randrange(len(wanted))]
    defect = rng.choice(errors) if wanted == "any" else str(wanted)
    if defect != "none" and defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r} (known: any, none, {', '.join(DEFECTS)})")
    broken = text
    diagnostic: dict[str, Any] = {}
    line_text = ""
    report = ""
    severity = "none"
    if defect != "none":
        lines = DEFECTS[defect](text.rstrip("\n").split("\n"), rng)
        broken = "\n".join(lines) + "\n"
        severity = "warning" if defect in WARNING_DEFECTS else "error"
        found = [d for d in check(broken, strict=True) if d.severity == severity]
        if not found:
            raise ValueError(f"defect {defect!r} was not reported by the strict checker")
        first = found[0]
        diagnostic = first.model_dump(mode="json")
        line_text = broken.split("\n")[first.line - 1] if first.line >= 1 else ""
        report = format_all([first], broken, path=f"{name.lower()}.oct.md")
    return ProviderOutput(
        variables={
            "kind": kind,
            "role": role,
            "subject": subject,
            "octave_name": name,
            "octave_data": data,
            "octave_text": text.rstrip("\n"),
            "octave_json": data,
            "octave_text_2025": text_2025.rstrip("\n"),
            "query_path": paths[0],
            "query_value": query(reparsed, paths[0]),
            "query_question": QUESTIONS[kind][paths[0]].format(name=label),
            "query2_path": paths[1],
            "query2_value": query(reparsed, paths[1]),
            "query2_question": QUESTIONS[kind][paths[1]].format(name=label),
            "missing_path": missing_path,
            "missing_error": missing_error,
            "missing_target": paths[2],
            "missing_value": query(reparsed, paths[2]),
            "missing_question": QUESTIONS[kind][paths[2]].format(name=label),
            "tools_path": tools_path,
            "tools_list": tools_list,
            "probe_tool": probe_tool,
            "probe_available": probe_available,
            "extension": extension,
            "extended_text": extended_text.rstrip("\n"),
            "description": _describe(kind, data),
            "defect": defect,
            "defect_severity": severity,
            "broken_text": broken.rstrip("\n"),
            "diagnostic": diagnostic,
            "diagnostic_line_text": line_text,
            "diagnostic_report": report,
        }
    )
