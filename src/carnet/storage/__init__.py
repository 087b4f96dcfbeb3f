"""Storage: all of carnet's SQL, behind :class:`Store` and the queries of its transactions.

``store.py`` opens transactions; ``dialects.py`` holds every difference between
SQLite and PostgreSQL; the queries live one family per module (``accounts``,
``groups``, ``contacts``, ``pages``, ``stoplist``); ``schema.py`` and
``migrations/`` define the tables.
"""

from carnet.storage.errors import GroupGone, PhoneTaken
from carnet.storage.store import Queries, Store

__all__ = ["GroupGone", "PhoneTaken", "Queries", "Store"]
