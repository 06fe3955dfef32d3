"""Publish a finished dataset folder to the Hugging Face Hub with ``huggingface_hub``.

The folder is verified against its manifest first; then the dataset repo is created if missing
and every file the manifest lists (card, shards, charts, rejects, stats, the manifest itself) goes
up in one commit. The Hub decides per file whether it is stored as a regular file or as a large
(LFS/Xet) object, and the client uploads accordingly. The token comes from the argument,
``HF_TOKEN`` or the client's saved login, and is never printed. Network failures and server
errors are retried with backoff, then reported as one :class:`PushError`; the local folder is
only read, so a failed push leaves it as it was.

``HF_ENDPOINT`` points the client at another Hub; ``HF_HUB_DISABLE_XET=1`` makes it upload large
files with the plain LFS protocol (for endpoints without Xet storage).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
from huggingface_hub import CommitOperationAdd, HfApi, get_token
from huggingface_hub.errors import HfHubHTTPError
from pydantic import BaseModel, ConfigDict

from hestai_datagen.dataset.manifest import MANIFEST_NAME, load_manifest, verify_manifest
from hestai_datagen.errors import PushError

_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class UploadFile(BaseModel):
    """One file a push uploads: its path in the repo and its size in bytes."""

    model_config = ConfigDict(frozen=True)

    path: str
    bytes: int


class PushResult(BaseModel):
    """What a push did (or, for a dry run, would do)."""

    model_config = ConfigDict(frozen=True)

    repo_id: str
    revision: str | None
    dry_run: bool
    files: list[UploadFile]
    total_bytes: int
    repo_url: str | None = None
    commit_url: str | None = None
    commit_oid: str | None = None
    attempts: int = 0


def upload_plan(folder: Path) -> list[UploadFile]:
    """The files a push of ``folder`` uploads, after checking the folder against its manifest."""
    folder = Path(folder)
    problems = verify_manifest(folder)
    if problems:
        raise PushError(
            f"{folder} does not match its manifest, not pushing: " + "; ".join(problems[:5])
        )
    manifest = load_manifest(folder)
    paths = sorted({e.path for e in [*manifest.shards, *manifest.files]} | {MANIFEST_NAME})
    return [UploadFile(path=p, bytes=(folder / p).stat().st_size) for p in paths]


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, httpx2.TransportError):
        return True
    if isinstance(exc, HfHubHTTPError):
        response = exc.response
        return response is None or response.status_code in _RETRY_STATUS
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, HfHubHTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} from {exc.response.url.path}"
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__


def push_dataset(
    folder: Path,
    repo_id: str,
    *,
    private: bool = False,
    revision: str | None = None,
    message: str | None = None,
    dry_run: bool = False,
    token: str | None = None,
    endpoint: str | None = None,
    attempts: int = 4,
    backoff_seconds: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Upload ``folder`` to the dataset repo ``repo_id`` in one commit (or plan it: ``dry_run``)."""
    folder = Path(folder)
    files = upload_plan(folder)
    total = sum(f.bytes for f in files)
    result = PushResult(
        repo_id=repo_id, revision=revision, dry_run=dry_run, files=files, total_bytes=total
    )
    if dry_run:
        return result
    token = token or os.environ.get("HF_TOKEN") or get_token()
    if not token:
        raise PushError("no Hub token: set HF_TOKEN or log in with `hf auth login`")
    manifest = load_manifest(folder)
    rows = sum(manifest.split_rows().values())
    summary = message or (
        f"Upload dataset: {rows} rows, {len(manifest.shards)} shards "
        f"(hestai-datagen {manifest.generator_version}, seed {manifest.seed})"
    )
    api = HfApi(endpoint=endpoint or os.environ.get("HF_ENDPOINT") or None, token=token)
    last: Exception | None = None
    for attempt in range(1, max(attempts, 1) + 1):
        try:
            repo_url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
            if revision is not None:
                api.create_branch(repo_id, branch=revision, repo_type="dataset", exist_ok=True)
            operations = [
                CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(folder / f.path))
                for f in files
            ]
            commit = api.create_commit(
                repo_id,
                operations,
                commit_message=summary,
                repo_type="dataset",
                revision=revision,
            )
        except (httpx2.HTTPError, HfHubHTTPError) as exc:
            last = exc
            if not _retryable(exc):
                raise PushError(f"push to {repo_id} failed: {_describe(exc)}") from None
            if attempt < attempts:
                sleep(backoff_seconds * 2 ** (attempt - 1))
            continue
        except ValueError as exc:
            raise PushError(f"push to {repo_id} refused: {_describe(exc)}") from None
        return result.model_copy(
            update={
                "repo_url": str(repo_url),
                "commit_url": commit.commit_url,
                "commit_oid": commit.oid,
                "attempts": attempt,
            }
        )
    assert last is not None
    raise PushError(
        f"push to {repo_id} failed after {attempts} attempts: {_describe(last)} "
        f"(the local folder {folder} is unchanged)"
    )
