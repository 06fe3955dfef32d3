"""Reading OCTAVE files: UTF-8 text or a clear, located error."""

from __future__ import annotations

from pathlib import Path

from hestai_datagen.errors import SourceError
from hestai_datagen.octave.diagnostics import Diagnostic, OctaveSyntaxError


def decode(data: bytes, *, path: str | None = None) -> str:
    """UTF-8 text of ``data``; ``OctaveSyntaxError`` (``E_ENCODING``) where it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        diag = Diagnostic(
            code="E_ENCODING",
            severity="error",
            line=line,
            column=column,
            message=f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            hint="save the file as UTF-8",
        )
        raise OctaveSyntaxError([diag], path=path) from None


def read_text(path: str | Path) -> str:
    """The text of an OCTAVE file; ``SourceError`` when it cannot be read."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path=file) from None
    except IsADirectoryError:
        raise SourceError("is a directory, not an OCTAVE file", path=file) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=file) from None
    return decode(data, path=str(file))
