"""The docs keep up: every endpoint, setting and command appears in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import typer.main
from starlette.routing import Route

from carnet.cli import app as cli_app
from carnet.http.app import create_app
from carnet.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_every_endpoint_is_in_the_readme() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    checked = 0
    for route in app.routes:
        if isinstance(route, Route) and route.include_in_schema and route.methods:
            checked += 1
            for method in route.methods:
                assert route.path in README, route.path
                assert f"{method} {route.path}" in README or method in README, (method, route.path)
    assert checked > 10


def test_every_setting_is_in_the_readme() -> None:
    for field in dataclasses.fields(Settings):
        assert f"CARNET_{field.name.upper()}" in README, field.name


def _commands(group: Any, prefix: str) -> list[str]:
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_command_is_in_the_readme() -> None:
    root = typer.main.get_command(cli_app)
    commands = _commands(root, "carnet")
    assert "carnet serve" in commands and "carnet account create" in commands
    for command in commands:
        assert command in README, command
