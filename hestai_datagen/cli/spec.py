"""``hestai-datagen spec``: check, format and show OCTAVE spec files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.tree import Tree

from hestai_datagen.cli._app import out_console
from hestai_datagen.errors import SourceError
from hestai_datagen.octave import (
    Diagnostic,
    OctaveSyntaxError,
    check,
    emit,
    format_all,
    parse,
    query,
    to_data,
)
from hestai_datagen.octave.nodes import Dialect
from hestai_datagen.octave.source import read_text

spec_app = typer.Typer(
    name="spec",
    help="Check, format and show OCTAVE spec files.",
    no_args_is_help=True,
)


def _read(path: Path) -> tuple[str | None, list[Diagnostic]]:
    try:
        return read_text(path), []
    except OctaveSyntaxError as exc:
        return None, exc.diagnostics


def _require_files(files: list[Path]) -> None:
    for path in files:
        if not path.exists():
            raise SourceError("no such file", path=path)
        if not path.is_file():
            raise SourceError("not a file", path=path)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@spec_app.command("check")
def check_cmd(
    files: Annotated[list[Path], typer.Argument(help="OCTAVE files.")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Apply the current dialect's rules.")
    ] = False,
) -> None:
    """Report diagnostics as FILE:LINE:COL: CODE message; exit 1 when there are errors."""
    _require_files(files)
    console = out_console()
    errors = warnings = 0
    for path in files:
        text, diagnostics = _read(path)
        if text is not None:
            diagnostics = check(text, path=str(path), strict=strict)
        if diagnostics:
            console.print(
                format_all(diagnostics, text or "", str(path)), markup=False, highlight=False
            )
        errors += sum(d.severity == "error" for d in diagnostics)
        warnings += sum(d.severity == "warning" for d in diagnostics)
    mode = "strict" if strict else "lenient"
    console.print(
        f"{_plural(len(files), 'file')} checked ({mode}): {_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}",
        markup=False,
        highlight=False,
    )
    if errors:
        raise typer.Exit(1)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@spec_app.command("fmt")
def fmt_cmd(
    files: Annotated[list[Path], typer.Argument(help="OCTAVE files.")],
    check_only: Annotated[
        bool, typer.Option("--check", help="Only list files that would change; exit 1 if any.")
    ] = False,
    dialect: Annotated[
        str | None,
        typer.Option("--dialect", help="current or 2025 (default: each file's own dialect)."),
    ] = None,
) -> None:
    """Rewrite files in canonical OCTAVE form (in place, atomically)."""
    if dialect not in (None, "current", "2025"):
        raise typer.BadParameter("must be 'current' or '2025'", param_hint="--dialect")
    chosen: Dialect | None = (
        "current" if dialect == "current" else ("2025" if dialect == "2025" else None)
    )
    _require_files(files)
    console = out_console()
    changed = failed = 0
    for path in files:
        text, diagnostics = _read(path)
        if text is None:
            console.print(format_all(diagnostics, "", str(path)), markup=False, highlight=False)
            failed += 1
            continue
        try:
            doc = parse(text, path=str(path))
        except OctaveSyntaxError as exc:
            console.print(
                format_all(exc.diagnostics, text, str(path)), markup=False, highlight=False
            )
            failed += 1
            continue
        formatted = emit(doc, dialect=chosen)
        if formatted == text:
            continue
        changed += 1
        if check_only:
            console.print(f"would reformat {path}", markup=False, highlight=False)
        else:
            _write_atomically(path, formatted)
            console.print(f"reformatted {path}", markup=False, highlight=False)
    verb = "would be reformatted" if check_only else "reformatted"
    console.print(
        f"{_plural(changed, 'file')} {verb}, {len(files) - changed - failed} unchanged"
        + (f", {failed} with errors" if failed else ""),
        markup=False,
        highlight=False,
    )
    if failed or (check_only and changed):
        raise typer.Exit(1)


def _tree(label: str, data: Any) -> Tree:
    tree = Tree(label, highlight=False)
    _grow(tree, data)
    return tree


def _grow(tree: Tree, data: Any) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list) and value:
                _grow(tree.add(f"[bold]{_esc(str(key))}[/]"), value)
            else:
                tree.add(f"[bold]{_esc(str(key))}[/] = {_esc(_scalar(value))}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, dict | list) and value:
                _grow(tree.add(f"[dim]{index}[/]"), value)
            else:
                tree.add(f"[dim]{index}[/] {_esc(_scalar(value))}")
    else:
        tree.add(_esc(_scalar(data)))


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _esc(text: str) -> str:
    return text.replace("[", "\\[")


@spec_app.command("show")
def show_cmd(
    file: Annotated[Path, typer.Argument(help="OCTAVE file.")],
    path: Annotated[
        str | None, typer.Option("--path", "-p", help="Dotted path, e.g. 0.DEF.P1.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a tree.")] = False,
) -> None:
    """Show a spec (or the value at --path) as a tree or as JSON."""
    doc = parse(read_text(file), path=str(file))
    data = query(doc, path) if path else to_data(doc)
    console = out_console()
    if as_json:
        console.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False, highlight=False)
        return
    where = ""
    if path:
        line, column = doc.locate(path)
        where = f" ({file}:{line}:{column})"
    label = f"[bold]{_esc(doc.name)}[/]" + (f" › {_esc(path)}" if path else "") + _esc(where)
    console.print(_tree(label, data))


def register(app: typer.Typer) -> None:
    """Add the ``spec`` command group to the root app."""
    app.add_typer(spec_app, name="spec")
