"""Helpers the tests share: API calls, real server processes, generated files.

Fixtures stay in ``conftest.py``; anything a test imports lives here.
"""
