"""The corpus store: ingest article collections once, query their place mentions fast."""
from store.query import Filters, Store

__all__ = ["Filters", "Store"]
