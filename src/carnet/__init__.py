"""carnet: a self-hosted contact book for SMS campaigns."""

__version__ = "0.1.0"
