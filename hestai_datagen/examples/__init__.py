"""Training examples: the row model every stage reads and writes."""

from hestai_datagen.examples.model import (
    Example,
    ExampleMeta,
    FunctionCall,
    HttpHeader,
    Message,
    Priority,
    ToolCall,
    TraceMessage,
)

__all__ = [
    "Example",
    "ExampleMeta",
    "FunctionCall",
    "HttpHeader",
    "Message",
    "Priority",
    "ToolCall",
    "TraceMessage",
]
