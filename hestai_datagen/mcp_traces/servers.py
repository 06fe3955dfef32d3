"""The real MCP servers the traces are recorded from, written with the official SDK's ``MCPServer``.

One server, ``hestai-odyssean-anchor``, exposes HESTAI-style tools registered with the
``@server.tool()`` decorator and pydantic-typed parameters: the Odyssean Anchor service
(``fetch_context``, ``load_octave_config``, ``assess_role``, ``switch_role``), ``greet``,
``search_docs``, a slow tool that reports progress (``analyze_codebase``), a tool that waits
until it is cancelled (``await_approval``) and a tool that fails (``rebuild_index``).

Every answer is a pure function of the arguments, so the same call always produces the same
bytes. ``build_server()`` makes a fresh instance; nothing here is module-level mutable state.
"""

from __future__ import annotations

from typing import Annotated, Literal

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

SERVER_NAME = "hestai-odyssean-anchor"
SERVER_VERSION = "1.4.0"
SERVER_INSTRUCTIONS = (
    "Odyssean Anchor service for HESTAI agents: fetch project context, load OCTAVE configs, "
    "assess and switch roles, search the HESTAI docs."
)

RoleName = Literal[
    "holistic-orchestrator",
    "implementation-lead",
    "critical-engineer",
    "technical-architect",
    "test-methodology-guardian",
]

_ROLE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "holistic-orchestrator": ("coordinate", "phase", "handoff", "plan", "priorit"),
    "implementation-lead": ("implement", "build", "feature", "code", "refactor"),
    "critical-engineer": ("review", "risk", "failure", "security", "validate"),
    "technical-architect": ("design", "architecture", "interface", "schema", "boundary"),
    "test-methodology-guardian": ("test", "coverage", "tdd", "regression", "fixture"),
}

_CONTEXT: dict[str, dict[str, str]] = {
    "hestai-core": {
        "phase": "B2 implementation",
        "north_star": "Agents act from verified context, never from assumption.",
        "active_role": "implementation-lead",
        "open_issues": "3",
    },
    "octave-mcp": {
        "phase": "B3 integration",
        "north_star": "One semantic format for every agent handoff.",
        "active_role": "technical-architect",
        "open_issues": "5",
    },
}

_OCTAVE_CONFIGS: dict[str, str] = {
    "configs/odyssean-anchor.oct.md": (
        "===ODYSSEAN_ANCHOR===\n"
        'META:\n  TYPE::"AGENT_BINDING"\n  VERSION::"2.1"\n'
        "ROLE::implementation-lead\n"
        "AUTHORITY::[BUILD,REFACTOR,TEST]\n"
        "===END===\n"
    ),
    "configs/critical-engineer.oct.md": (
        "===CRITICAL_ENGINEER===\n"
        'META:\n  TYPE::"AGENT_BINDING"\n  VERSION::"1.3"\n'
        "ROLE::critical-engineer\n"
        "AUTHORITY::[REVIEW,BLOCK,VALIDATE]\n"
        "===END===\n"
    ),
}

_DOCS: tuple[tuple[str, str, str], ...] = (
    (
        "docs/odyssean-anchor.md",
        "Odyssean Anchor",
        "Binding an agent to its role: fetch context, load the OCTAVE config, assess fit.",
    ),
    (
        "docs/octave-syntax.md",
        "OCTAVE syntax",
        "Assignments use ::, lists use [a,b], a section opens with ===NAME=== and ends ===END===.",
    ),
    (
        "docs/mcp-transports.md",
        "MCP transports",
        "stdio for local tools, Streamable HTTP for remote servers, sessions via Mcp-Session-Id.",
    ),
    (
        "docs/role-switching.md",
        "Role switching",
        "Switch roles only at a phase boundary and record the reason in the handoff.",
    ),
    (
        "docs/error-handling.md",
        "Error handling",
        "JSON-RPC errors for protocol faults, isError results for tool failures the model can fix.",
    ),
)


class ContextSnapshot(BaseModel):
    """What ``fetch_context`` returns: the anchor facts an agent binds to."""

    project: str
    phase: str
    north_star: str
    active_role: str
    open_issues: int
    depth: int


class OctaveConfig(BaseModel):
    """What ``load_octave_config`` returns: the document name and its top-level assignments."""

    path: str
    document: str
    assignments: dict[str, str]


class RoleAssessment(BaseModel):
    """What ``assess_role`` returns: how well a role fits a task, with the matched signals."""

    role: str
    fit: float
    matched_signals: list[str]
    recommendation: Literal["proceed", "switch"]


class RoleSwitch(BaseModel):
    """What ``switch_role`` returns: the handoff record of a role change."""

    from_role: str
    to_role: str
    reason: str
    handoff: str


class DocHit(BaseModel):
    """One ``search_docs`` hit."""

    path: str
    title: str
    score: int


class SearchResults(BaseModel):
    """What ``search_docs`` returns."""

    query: str
    hits: list[DocHit]


class AnalysisReport(BaseModel):
    """What the slow ``analyze_codebase`` tool returns after reporting progress per step."""

    target: str
    steps: int
    findings: list[str]


def _parse_octave(document: str) -> tuple[str, dict[str, str]]:
    name = document.splitlines()[0].strip("=")
    assignments: dict[str, str] = {}
    for line in document.splitlines():
        if "::" in line and not line.startswith(" "):
            key, _, value = line.partition("::")
            assignments[key.strip()] = value.strip()
    return name, assignments


def _assess(role: str, task: str) -> RoleAssessment:
    words = task.lower()
    signals = [kw for kw in _ROLE_KEYWORDS[role] if kw in words]
    best = max(
        _ROLE_KEYWORDS, key=lambda r: (sum(kw in words for kw in _ROLE_KEYWORDS[r]), r == role)
    )
    fit = round(len(signals) / len(_ROLE_KEYWORDS[role]), 2)
    return RoleAssessment(
        role=role,
        fit=fit,
        matched_signals=signals,
        recommendation="proceed" if best == role or not task else "switch",
    )


def build_server() -> MCPServer:
    """A fresh ``hestai-odyssean-anchor`` server with every tool registered."""
    server = MCPServer(
        name=SERVER_NAME,
        version=SERVER_VERSION,
        instructions=SERVER_INSTRUCTIONS,
        log_level="ERROR",
    )

    @server.tool(
        description="Fetch the anchor context (phase, north star, active role) of a project."
    )
    def fetch_context(
        project: Annotated[str, Field(min_length=1, description="Project id, e.g. hestai-core")],
        depth: Annotated[int, Field(ge=1, le=3, description="How many context layers")] = 1,
    ) -> ContextSnapshot:
        facts = _CONTEXT.get(project)
        if facts is None:
            raise ToolError(f"unknown project {project!r}; known: {', '.join(sorted(_CONTEXT))}")
        return ContextSnapshot(
            project=project,
            phase=facts["phase"],
            north_star=facts["north_star"],
            active_role=facts["active_role"],
            open_issues=int(facts["open_issues"]),
            depth=depth,
        )

    @server.tool(description="Load an OCTAVE config document and return its top-level assignments.")
    def load_octave_config(
        path: Annotated[str, Field(pattern=r"^[\w./-]+\.oct\.md$", description="Config path")],
    ) -> OctaveConfig:
        document = _OCTAVE_CONFIGS.get(path)
        if document is None:
            raise ToolError(f"no OCTAVE config at {path}")
        name, assignments = _parse_octave(document)
        return OctaveConfig(path=path, document=name, assignments=assignments)

    @server.tool(description="Assess how well a HESTAI role fits a task.")
    def assess_role(
        role: Annotated[RoleName, Field(description="The role to assess")],
        task: Annotated[str, Field(min_length=3, max_length=500, description="The task at hand")],
    ) -> RoleAssessment:
        return _assess(role, task)

    @server.tool(description="Switch the active HESTAI role and produce the handoff record.")
    def switch_role(
        from_role: RoleName,
        to_role: RoleName,
        reason: Annotated[str, Field(min_length=3, max_length=200)],
    ) -> RoleSwitch:
        if from_role == to_role:
            raise ToolError(f"already acting as {to_role}")
        return RoleSwitch(
            from_role=from_role,
            to_role=to_role,
            reason=reason,
            handoff=f"{from_role} -> {to_role}: {reason}",
        )

    @server.tool(description="Greet someone by name.")
    def greet(name: Annotated[str, Field(min_length=1, max_length=64)]) -> str:
        return f"Hello, {name}! The Odyssean Anchor is holding."

    @server.tool(description="Search the HESTAI documentation.")
    def search_docs(
        query: Annotated[str, Field(min_length=2, max_length=200)],
        limit: Annotated[int, Field(ge=1, le=5)] = 3,
    ) -> SearchResults:
        terms = [t for t in query.lower().split() if t]
        scored = []
        for path, title, body in _DOCS:
            text = f"{title} {body}".lower()
            score = sum(text.count(term) for term in terms)
            if score:
                scored.append(DocHit(path=path, title=title, score=score))
        scored.sort(key=lambda hit: (-hit.score, hit.path))
        return SearchResults(query=query, hits=scored[:limit])

    @server.tool(description="Analyze a codebase slowly, reporting progress after each step.")
    async def analyze_codebase(
        target: Annotated[str, Field(min_length=1)],
        ctx: Context,
        steps: Annotated[int, Field(ge=1, le=5)] = 3,
    ) -> AnalysisReport:
        findings = []
        for step in range(1, steps + 1):
            await anyio.sleep(0.01)
            findings.append(f"step {step}: scanned layer {step} of {target}")
            await ctx.report_progress(step, steps, f"scanned layer {step}/{steps}")
        return AnalysisReport(target=target, steps=steps, findings=findings)

    @server.tool(description="Wait for a human approval signal (blocks until cancelled).")
    async def await_approval(
        change_id: Annotated[str, Field(min_length=1)],
        timeout_s: Annotated[float, Field(gt=0, le=3600)] = 600,
    ) -> str:
        await anyio.sleep(timeout_s)
        return f"no approval for {change_id} within {timeout_s}s"

    @server.tool(description="Rebuild the docs search index (fails: the index store is read-only).")
    def rebuild_index(
        scope: Annotated[Literal["docs", "configs"], Field(description="What to rebuild")],
    ) -> str:
        raise ToolError(f"cannot rebuild the {scope} index: index store is mounted read-only")

    return server
