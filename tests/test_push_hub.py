"""Push: the real ``huggingface_hub`` client against a fake Hub on 127.0.0.1; files arrive
byte-identical, retries, clear failures, the token never shown, ``--dry-run`` lists the upload."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import huggingface_hub.constants
import pytest
from _rows import REPO, build_dataset
from fakehub import FakeHub, running_fake_hub
from typer.testing import CliRunner

from hestai_datagen.cli import app
from hestai_datagen.dataset import load_manifest, push_dataset, upload_plan
from hestai_datagen.errors import PushError

TOKEN = "hf_fake_token_do_not_print_4f1c2b"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("push") / "build"
    build_dataset(out, fmt="parquet")
    return out


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with running_fake_hub(TOKEN) as fake:
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_DISABLE_XET", True)
        yield fake


def _expected(folder: Path) -> dict[str, bytes]:
    return {f.path: (folder / f.path).read_bytes() for f in upload_plan(folder)}


def test_push_uploads_every_file_byte_identical(folder: Path, hub: FakeHub) -> None:
    before = _tree(folder)
    result = push_dataset(folder, "hestai/mcp-tool-use", private=True, sleep=lambda _: None)
    files = hub.files("hestai/mcp-tool-use")
    assert files == _expected(folder)
    manifest = load_manifest(folder)
    assert set(files) == {s.path for s in manifest.shards} | {f.path for f in manifest.files} | {
        "manifest.json"
    }
    assert hub.repos["hestai/mcp-tool-use"].private
    [commit] = hub.repos["hestai/mcp-tool-use"].commits
    assert commit["summary"].startswith("Upload dataset: 72 rows")
    assert result.commit_oid == commit["oid"] and result.attempts == 1
    shard_bytes = {(folder / s.path).read_bytes() for s in manifest.shards}
    assert shard_bytes <= set(hub.lfs_objects.values()), "shards go up as LFS objects"
    assert all(h == f"Bearer {TOKEN}" for h in hub.auth_headers)
    assert _tree(folder) == before


def test_push_to_existing_repo_and_branch(folder: Path, hub: FakeHub) -> None:
    push_dataset(folder, "hestai/ds", sleep=lambda _: None)
    push_dataset(folder, "hestai/ds", revision="v1", message="Release v1", sleep=lambda _: None)
    assert hub.files("hestai/ds", "v1") == _expected(folder)
    assert hub.repos["hestai/ds"].commits[-1]["summary"] == "Release v1"
    assert not hub.repos["hestai/ds"].private


def test_network_failures_are_retried(folder: Path, hub: FakeHub) -> None:
    hub.fail["commit"] = 2
    waits: list[float] = []
    result = push_dataset(folder, "hestai/retry", sleep=waits.append)
    assert result.attempts == 3 and waits == [2.0, 4.0]
    assert hub.files("hestai/retry") == _expected(folder)


def test_persistent_failure_is_one_clear_error_and_folder_intact(
    folder: Path, hub: FakeHub
) -> None:
    before = _tree(folder)
    hub.fail["commit"] = 100
    with pytest.raises(PushError, match=r"failed after 3 attempts: HTTP 503") as info:
        push_dataset(folder, "hestai/down", attempts=3, sleep=lambda _: None)
    assert TOKEN not in str(info.value)
    assert _tree(folder) == before


def test_unreachable_hub_is_retried_then_reported(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_fake_hub(TOKEN) as fake:
        url = fake.url
    monkeypatch.setenv("HF_ENDPOINT", url)  # the server is gone: connection refused
    waits: list[float] = []
    with pytest.raises(PushError, match="failed after 2 attempts"):
        push_dataset(folder, "hestai/x", token=TOKEN, attempts=2, sleep=waits.append)
    assert waits == [2.0]


def test_bad_token_fails_without_retry_or_leak(folder: Path, hub: FakeHub) -> None:
    with pytest.raises(PushError, match="HTTP 401") as info:
        push_dataset(folder, "hestai/x", token="hf_wrong_secret", sleep=lambda _: None)
    assert "hf_wrong_secret" not in str(info.value)
    assert sum(1 for _, path in hub.requests if path == "/api/repos/create") == 1


def test_missing_token_is_reported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr("hestai_datagen.dataset.push.get_token", lambda: None)
    with pytest.raises(PushError, match="no Hub token"):
        push_dataset(folder, "hestai/x")


def test_altered_folder_is_not_pushed(tmp_path: Path, hub: FakeHub) -> None:
    out = tmp_path / "build"
    manifest = build_dataset(out)
    (out / manifest.shards[0].path).write_bytes(b"{}\n")
    with pytest.raises(PushError, match="does not match its manifest"):
        push_dataset(out, "hestai/x")
    assert hub.requests == []


def test_cli_dry_run_prints_exactly_the_upload(folder: Path) -> None:
    result = CliRunner().invoke(app, ["push", str(folder), "hestai/ds", "--dry-run"])
    assert result.exit_code == 0, result.output
    plan = upload_plan(folder)
    lines = result.stdout.splitlines()
    assert lines[0] == f"dry run: would upload {len(plan)} files to hestai/ds"
    listed = [(line.split()[1], int(line.split()[0])) for line in lines[1:-1]]
    assert listed == [(f.path, f.bytes) for f in plan]
    assert [p for p, _ in listed] == sorted(
        [
            *(s.path for s in load_manifest(folder).shards),
            *(f.path for f in load_manifest(folder).files),
            "manifest.json",
        ]
    )
    assert f"total {sum(f.bytes for f in plan)} bytes" in result.stdout


def test_cli_push_never_prints_the_token(folder: Path, hub: FakeHub) -> None:
    result = CliRunner().invoke(app, ["push", str(folder), "hestai/cli", "--private"])
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    assert "pushed" in result.stdout and hub.files("hestai/cli") == _expected(folder)
    result = CliRunner().invoke(app, ["push", str(folder), "bad/repo/id/x"])
    assert result.exit_code == 1 and "error:" in result.stderr and TOKEN not in result.output


@pytest.mark.slow
def test_cli_push_in_a_subprocess_with_hf_endpoint(folder: Path) -> None:
    with running_fake_hub(TOKEN) as fake:
        env = {
            **os.environ,
            "HF_ENDPOINT": fake.url,
            "HF_TOKEN": TOKEN,
            "HF_HUB_DISABLE_XET": "1",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        }
        done = subprocess.run(
            [str(Path(sys.executable).parent / "hestai-datagen"), "push", str(folder), "org/sub"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=REPO,
        )
        assert done.returncode == 0, done.stderr
        assert TOKEN not in done.stdout + done.stderr
        assert fake.files("org/sub") == _expected(folder)
