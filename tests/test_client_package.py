"""The top-level package: what it exports, and what importing it costs."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys

import carnet
import carnet.client
import carnet.errors

SERVER_MODULES = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "phonenumbers",
    "pydantic",
    "uvicorn",
    "typer",
)


def test_importing_the_client_loads_none_of_the_server() -> None:
    code = (
        "import json, sys\n"
        "from carnet import Client, AsyncClient, CarnetError\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert "httpx" in loaded
    assert loaded.isdisjoint(SERVER_MODULES), loaded & set(SERVER_MODULES)


def test_the_command_line_loads_the_database_code_only_for_its_commands() -> None:
    # `carnet import`, `export`, `group` and `stop` talk HTTP: starting them
    # must not pay for loading the server's database and web stack.
    code = (
        "import json, sys\n"
        "import carnet.cli\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert "typer" in loaded
    server = {"fastapi", "sqlalchemy", "alembic", "psycopg", "phonenumbers", "uvicorn"}
    assert loaded.isdisjoint(server), loaded & server


def test_all_is_explicit_and_complete() -> None:
    assert carnet.__all__ == sorted(carnet.__all__, key=lambda n: (n.startswith("_"), n))
    for name in carnet.__all__:
        assert hasattr(carnet, name), name
    public = {
        n for n, v in vars(carnet).items() if not n.startswith("_") and not inspect.ismodule(v)
    }
    assert public == set(carnet.__all__) - {"__version__"}
    for name in ("Client", "AsyncClient", "CarnetError", "Group", "Contact", "BatchReport"):
        assert name in carnet.__all__
    namespace: dict[str, object] = {}
    exec("from carnet import *", namespace)
    assert set(carnet.__all__) <= set(namespace)


def test_every_error_class_is_exported_and_drawn_in_the_tree() -> None:
    classes = {
        name
        for name, value in vars(carnet.errors).items()
        if inspect.isclass(value) and issubclass(value, carnet.errors.CarnetError)
    }
    doc = carnet.errors.__doc__ or ""
    for name in classes:
        assert name in carnet.__all__, name
        assert name in carnet.errors.__all__, name
        assert re.search(rf"[─ ] {name} ", doc), f"{name} is missing from the tree"


def test_client_package_all_names_exist() -> None:
    for name in carnet.client.__all__:
        assert hasattr(carnet.client, name), name


def test_both_clients_have_the_same_methods() -> None:
    def methods(cls: type) -> set[str]:
        return {n for n, v in vars(cls).items() if not n.startswith("_") and callable(v)}

    sync, asynchronous = methods(carnet.Client), methods(carnet.AsyncClient)
    assert sync - {"close"} == asynchronous - {"aclose"}
    for name in ("add_group", "add_contacts", "iter_contacts", "delete_stop"):
        assert name in sync
