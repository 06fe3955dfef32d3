"""A small fake Hugging Face Hub for tests: a real HTTP server on 127.0.0.1 (ephemeral port)
that accepts the calls ``huggingface_hub`` makes to publish a dataset (repo create, README YAML
validation, branch create, preupload, LFS batch + basic upload + verify, commit)."""

from .server import FakeHub, running_fake_hub

__all__ = ["FakeHub", "running_fake_hub"]
