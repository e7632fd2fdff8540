"""Syria News Map: what every package shares (settings, errors, command-line conventions, the pipeline)."""

__version__ = "0.3.0"
