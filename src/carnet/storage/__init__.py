"""Storage: all of carnet's SQL, behind :class:`Store` and the queries of its transactions."""

from carnet.storage.repository import GroupGone, PhoneTaken, Queries, Store

__all__ = ["GroupGone", "PhoneTaken", "Queries", "Store"]
