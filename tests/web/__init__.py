"""The dashboard in a real browser: fixtures in conftest.py, helpers in support.browser."""
