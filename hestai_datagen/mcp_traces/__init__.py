"""MCP traces recorded from the official SDK over real transports.

Real servers (``servers``) written with ``MCPServer``; a recorder (``recorder``) that drives
official SDK clients against them over in-memory streams, stdio subprocesses, Streamable HTTP
and legacy HTTP+SSE on loopback, with taps that keep every wire message exactly as serialized;
trace checks (``checks``) and an error catalogue (``catalogue``) derived from the recordings.
"""

from hestai_datagen.mcp_traces.catalogue import ErrorEntry, error_catalogue
from hestai_datagen.mcp_traces.checks import TraceProblem, check_trace
from hestai_datagen.mcp_traces.keys import RecordingKey, available_recordings
from hestai_datagen.mcp_traces.recorder import Recorder, Recording, sdk_version

__all__ = [
    "ErrorEntry",
    "Recorder",
    "Recording",
    "RecordingKey",
    "TraceProblem",
    "available_recordings",
    "check_trace",
    "error_catalogue",
    "sdk_version",
]
