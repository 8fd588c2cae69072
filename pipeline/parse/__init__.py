"""Articles → the document model (:mod:`pipeline.document`)."""

from pipeline.parse.text import parse

__all__ = ["parse"]
