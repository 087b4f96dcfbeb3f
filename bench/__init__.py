"""carnet's benchmark: ``make bench`` (``python -m bench``); results in bench/README.md."""
