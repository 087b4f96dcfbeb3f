"""Settings read from CARNET_* variables: whole numbers in ASCII digits only."""

from __future__ import annotations

import pytest

from carnet.settings import Settings


def test_numbers_are_read_from_ascii_digits() -> None:
    settings = Settings.from_env({"CARNET_PORT": " 8001 ", "CARNET_RATE_LIMIT": "0"})
    assert (settings.port, settings.rate_limit) == (8001, 0)


@pytest.mark.parametrize("value", ["\u0663", "\uff18\uff10", "8\u00b2", "abc", "1.5", "1e3"])
def test_a_number_in_another_form_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="CARNET_PORT must be a whole number"):
        Settings.from_env({"CARNET_PORT": value})
