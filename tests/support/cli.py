"""Checks on what the ``carnet`` command printed."""

from __future__ import annotations

import subprocess


def assert_one_error_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The command failed with exit 1 and said why in one ``error: …`` line, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and "╭" not in result.stderr, result.stderr
    assert ".py" not in result.stderr, result.stderr  # no local paths of the code
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]
