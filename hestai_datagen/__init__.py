"""hestai-datagen: verified synthetic training data from OCTAVE specs and Jinja scenario templates.

The package reads like the data flows: ``octave`` (the spec language) → ``spec`` (the training
plan) → ``scenarios`` (templates and slot vocabularies) → ``examples`` (the row model and its
rendering) → ``checks`` (the quality gate) → ``dataset`` (splits, shards, card, push) → ``cli``.
"""

__version__ = "0.1.0"
