"""The fake Hub server (stdlib ``http.server`` in a thread) and the state it keeps."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import yaml

_REPO = r"(?P<repo>[^/]+/[^/]+)"
_LFS_SUFFIXES = (".parquet", ".png", ".jsonl")


@dataclass
class Repo:
    """One dataset repo: its visibility and the files of each branch."""

    private: bool
    branches: dict[str, dict[str, bytes]] = field(default_factory=lambda: {"main": {}})
    commits: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FakeHub:
    """What the server saw and holds; tests read it and set failures to inject."""

    token: str
    url: str = ""
    repos: dict[str, Repo] = field(default_factory=dict)
    lfs_objects: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def files(self, repo_id: str, branch: str = "main") -> dict[str, bytes]:
        """The files of a branch of a repo."""
        return self.repos[repo_id].branches[branch]

    def take_failure(self, name: str) -> bool:
        """True (and one less to go) when a failure of this endpoint is still to be injected."""
        with self.lock:
            left = self.fail.get(name, 0)
            if left > 0:
                self.fail[name] = left - 1
                return True
            return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hub: FakeHub

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    # --- plumbing ---

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Any = None) -> None:
        data = json.dumps(payload if payload is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-Id", "fakehub")
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self.send_response(status)
        data = json.dumps({"error": message}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Error-Message", message)
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        self.hub.auth_headers.append(header)
        if header != f"Bearer {self.hub.token}":
            self._error(401, "Invalid credentials in Authorization header")
            return False
        return True

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_GET(self) -> None:
        self._route("GET")

    def _route(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        body = self._body()
        self.hub.requests.append((method, path))
        routes = [
            ("POST", r"/api/repos/create", self._create_repo),
            ("POST", r"/api/validate-yaml", self._validate_yaml),
            ("POST", rf"/api/datasets/{_REPO}/preupload/(?P<rev>[^/]+)", self._preupload),
            ("POST", rf"/api/datasets/{_REPO}/commit/(?P<rev>[^/]+)", self._commit),
            ("POST", rf"/api/datasets/{_REPO}/branch/(?P<rev>[^/]+)", self._branch),
            ("POST", rf"/datasets/{_REPO}\.git/info/lfs/objects/batch", self._lfs_batch),
            ("PUT", r"/lfs/upload/(?P<oid>[0-9a-f]{64})", self._lfs_upload),
            ("POST", r"/lfs/verify", self._lfs_verify),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                name = handler.__name__.lstrip("_")
                if self.hub.take_failure(name):
                    self._error(503, f"injected failure of {name}")
                    return
                handler(body, **match.groupdict())
                return
        self._error(404, f"no route {method} {path}")

    # --- endpoints ---

    def _create_repo(self, body: bytes) -> None:
        if not self._authorized():
            return
        payload = json.loads(body)
        if payload.get("type") != "dataset":
            self._error(400, "this fake hub holds dataset repos only")
            return
        repo_id = f"{payload['organization']}/{payload['name']}"
        url = f"{self.hub.url}/datasets/{repo_id}"
        with self.hub.lock:
            if repo_id in self.hub.repos:
                self._send(409, {"error": "You already created this dataset repo", "url": url})
                return
            private = payload.get("visibility") == "private" or bool(payload.get("private"))
            self.hub.repos[repo_id] = Repo(private=private)
        self._send(200, {"url": url, "name": repo_id})

    def _validate_yaml(self, body: bytes) -> None:
        content = json.loads(body)["content"]
        match = re.match(r"---\n(.*?)\n---\n", content, re.DOTALL)
        if not match:
            self._send(200, {"errors": [], "warnings": [{"message": "empty metadata"}]})
            return
        try:
            yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            self._send(400, {"errors": [{"message": str(exc)}]})
            return
        self._send(200, {"errors": [], "warnings": []})

    def _repo(self, repo: str) -> Repo | None:
        found = self.hub.repos.get(repo)
        if found is None:
            self._error(404, "Repository not found")
        return found

    def _preupload(self, body: bytes, repo: str, rev: str) -> None:
        if not self._authorized() or self._repo(repo) is None:
            return
        files = json.loads(body)["files"]
        modes = []
        for entry in files:
            sample = base64.b64decode(entry["sample"])
            lfs = entry["path"].endswith(_LFS_SUFFIXES) or b"\0" in sample
            modes.append(
                {
                    "path": entry["path"],
                    "uploadMode": "lfs" if lfs else "regular",
                    "shouldIgnore": False,
                    "oid": None,
                }
            )
        self._send(200, {"files": modes, "commitOid": "0" * 40})

    def _lfs_batch(self, body: bytes, repo: str) -> None:
        if not self._authorized() or self._repo(repo) is None:
            return
        payload = json.loads(body)
        objects = []
        for obj in payload["objects"]:
            entry: dict[str, Any] = {"oid": obj["oid"], "size": obj["size"]}
            if obj["oid"] not in self.hub.lfs_objects:
                entry["actions"] = {
                    "upload": {"href": f"{self.hub.url}/lfs/upload/{obj['oid']}", "header": {}},
                    "verify": {"href": f"{self.hub.url}/lfs/verify", "header": {}},
                }
            objects.append(entry)
        self._send(200, {"transfer": "basic", "objects": objects})

    def _lfs_upload(self, body: bytes, oid: str) -> None:
        if hashlib.sha256(body).hexdigest() != oid:
            self._error(400, "content does not match its oid")
            return
        with self.hub.lock:
            self.hub.lfs_objects[oid] = body
        self._send(200, {})

    def _lfs_verify(self, body: bytes) -> None:
        payload = json.loads(body)
        stored = self.hub.lfs_objects.get(payload["oid"])
        if stored is None or len(stored) != payload["size"]:
            self._error(404, "object not uploaded")
            return
        self._send(200, {})

    def _branch(self, body: bytes, repo: str, rev: str) -> None:
        if not self._authorized():
            return
        found = self._repo(repo)
        if found is None:
            return
        if rev in found.branches:
            self._error(409, "Reference already exists")
            return
        found.branches[rev] = dict(found.branches["main"])
        self._send(200, {})

    def _commit(self, body: bytes, repo: str, rev: str) -> None:
        if not self._authorized():
            return
        found = self._repo(repo)
        if found is None:
            return
        if rev not in found.branches:
            self._error(404, f"Invalid rev id: {rev}")
            return
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        header, operations = lines[0], lines[1:]
        if header.get("key") != "header":
            self._error(400, "commit payload must start with a header")
            return
        staged: dict[str, bytes] = {}
        for op in operations:
            value = op["value"]
            if op["key"] == "file":
                staged[value["path"]] = base64.b64decode(value["content"])
            elif op["key"] == "lfsFile":
                data = self.hub.lfs_objects.get(value["oid"])
                if data is None or len(data) != value["size"]:
                    self._error(422, f"LFS object of {value['path']} was not uploaded")
                    return
                staged[value["path"]] = data
            else:
                self._error(400, f"unsupported commit operation {op['key']}")
                return
        with self.hub.lock:
            found.branches[rev].update(staged)
            oid = hashlib.sha1(json.dumps(sorted(staged)).encode() + rev.encode()).hexdigest()
            found.commits.append(
                {
                    "summary": header["value"]["summary"],
                    "files": sorted(staged),
                    "oid": oid,
                    "revision": rev,
                }
            )
        self._send(
            200,
            {
                "commitUrl": f"{self.hub.url}/datasets/{repo}/commit/{oid}",
                "commitOid": oid,
                "pullRequestUrl": None,
            },
        )


@contextmanager
def running_fake_hub(token: str) -> Iterator[FakeHub]:
    """Start the fake Hub on 127.0.0.1 (ephemeral port), yield its state, stop it."""
    hub = FakeHub(token=token)
    handler = type("Handler", (_Handler,), {"hub": hub})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
