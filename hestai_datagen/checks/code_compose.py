"""Docker Compose files (a YAML mapping with ``services:``): structure and secrets.

Rules (Compose specification): every ``depends_on`` entry names a defined service and uses a
known condition; ``condition: service_healthy`` only on a service that declares a healthcheck
(not ``disable: true``); environment values of secret-like keys (``*PASSWORD*``, ``*SECRET*``,
``*TOKEN*``, ``*KEY``...) are ``${VAR}`` placeholders, never literals (``*_FILE`` keys that point
at a secrets file are fine).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

CONDITIONS = frozenset({"service_started", "service_healthy", "service_completed_successfully"})
_SECRET_PART = re.compile(r"(?:PASSWORD|PASSWD|PASSPHRASE|SECRETS?|TOKEN|CREDENTIALS?|KEY)$")
# ${VAR}, ${VAR:?message}, ${VAR?message}, ${VAR:-} and ${VAR-} (an empty default), or $VAR.
_PLACEHOLDER = re.compile(
    r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?\?[^}]*)|(?::?-))?\}|\$[A-Za-z_][A-Za-z0-9_]*"
)


def is_compose(document: Any) -> bool:
    """Whether a loaded YAML document is a compose file."""
    return isinstance(document, Mapping) and isinstance(document.get("services"), Mapping)


def _services(document: Mapping[str, Any]) -> Mapping[str, Any]:
    services: Mapping[str, Any] = document["services"]
    return services


def _depends_on(service: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(service, Mapping):
        return
    depends = service.get("depends_on")
    if isinstance(depends, list):
        for name in depends:
            yield str(name), None
    elif isinstance(depends, Mapping):
        for name, spec in depends.items():
            yield str(name), spec


def depends_on_problems(document: Mapping[str, Any]) -> list[str]:
    """``depends_on`` entries naming undefined services or unknown conditions."""
    services = _services(document)
    problems = []
    for name, service in services.items():
        for target, spec in _depends_on(service):
            if target not in services:
                problems.append(f"service {name!r} depends on undefined service {target!r}")
            if isinstance(spec, Mapping) and "condition" in spec:
                condition = spec["condition"]
                if condition not in CONDITIONS:
                    problems.append(f"service {name!r}: unknown depends_on condition {condition!r}")
    return problems


def _has_healthcheck(service: Any) -> bool:
    if not isinstance(service, Mapping):
        return False
    check = service.get("healthcheck")
    return isinstance(check, Mapping) and not check.get("disable", False) and "test" in check


def healthcheck_problems(document: Mapping[str, Any]) -> list[str]:
    """``condition: service_healthy`` on services without a healthcheck."""
    services = _services(document)
    problems = []
    for name, service in services.items():
        for target, spec in _depends_on(service):
            wants_healthy = isinstance(spec, Mapping) and spec.get("condition") == "service_healthy"
            if wants_healthy and target in services and not _has_healthcheck(services[target]):
                problems.append(
                    f"service {name!r} waits for {target!r} to be healthy, "
                    f"but {target!r} has no healthcheck"
                )
    return problems


def _environment(service: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(service, Mapping):
        return
    env = service.get("environment")
    if isinstance(env, Mapping):
        for key, value in env.items():
            yield str(key), value
    elif isinstance(env, list):
        for item in env:
            key, sep, value = str(item).partition("=")
            yield key, value if sep else None


def is_secret_key(key: str) -> bool:
    """Whether an environment variable name looks like it holds a secret."""
    upper = key.upper()
    if upper.endswith("_FILE"):
        return False
    return any(_SECRET_PART.search(part) for part in re.split(r"[_\-.]", upper))


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is made only of ``${VAR}``-style references (no literal secret text)."""
    return bool(value) and _PLACEHOLDER.sub("", value).strip() == ""


def secret_problems(document: Mapping[str, Any]) -> list[str]:
    """Secret-like environment variables with hard-coded values."""
    problems = []
    for name, service in _services(document).items():
        for key, value in _environment(service):
            if value is None or value == "" or not is_secret_key(key):
                continue
            if not is_placeholder(str(value)):
                problems.append(
                    f"service {name!r}: {key} is hard-coded; use a ${{VAR}} placeholder"
                )
    return problems
