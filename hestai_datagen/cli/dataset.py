"""CLI commands for a finished dataset folder: ``export`` (trainer formats) and ``push`` (Hub).

The dataset library (``datasets``, ``matplotlib``, ``huggingface_hub``) is imported inside the
commands, so other commands do not pay for loading it.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hestai_datagen.cli._app import out_console


class ExportTarget(StrEnum):
    """The formats ``export`` writes."""

    openai = "openai"
    sharegpt = "sharegpt"
    hermes = "hermes"


FolderArg = Annotated[Path, typer.Argument(help="A finished dataset folder (with manifest.json).")]


def _export(
    folder: FolderArg,
    to: Annotated[ExportTarget, typer.Option("--to", help="Target format.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: FOLDER/exports/FORMAT).")
    ] = None,
) -> None:
    """Write every split in a format a fine-tuning tool reads directly."""
    from hestai_datagen.dataset.export import export_dataset

    target = out if out is not None else folder / "exports" / to.value
    console = out_console()
    for path in export_dataset(folder, to.value, target):
        console.print(f"wrote {path}", highlight=False)


def _push(
    folder: FolderArg,
    repo_id: Annotated[str, typer.Argument(help="Dataset repo on the Hub, as owner/name.")],
    private: Annotated[bool, typer.Option("--private", help="Create the repo as private.")] = False,
    revision: Annotated[str | None, typer.Option("--revision", help="Branch to commit to.")] = None,
    message: Annotated[str | None, typer.Option("--message", help="Commit message.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the files and sizes to upload; upload nothing.")
    ] = False,
) -> None:
    """Upload the folder to a Hugging Face dataset repo in one commit (token from HF_TOKEN)."""
    from hestai_datagen.dataset.push import push_dataset

    result = push_dataset(
        folder, repo_id, private=private, revision=revision, message=message, dry_run=dry_run
    )
    console = out_console()
    if dry_run:
        console.print(
            f"dry run: would upload {len(result.files)} files to {repo_id}", highlight=False
        )
        for upload in result.files:
            console.print(f"{upload.bytes:>12}  {upload.path}", highlight=False, markup=False)
        console.print(f"total {result.total_bytes} bytes", highlight=False)
        return
    console.print(
        f"pushed {len(result.files)} files ({result.total_bytes} bytes) to {result.repo_url}",
        highlight=False,
    )
    console.print(f"commit {result.commit_url}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``push`` to the root app."""
    app.command("export")(_export)
    app.command("push")(_push)
