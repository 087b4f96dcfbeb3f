"""Calls as a client of the wire format would make them, through a test client."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient


class Api:
    """Calls as a client of the wire format would make them, with one account's key."""

    def __init__(self, client: TestClient, key: str) -> None:
        self.client = client
        self.key = key

    def post(self, path: str, **params: Any) -> Any:
        return self.client.post(path, json={"apiKey": self.key, **params})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params={"apiKey": self.key, **params})

    def group(self, name: str = "clients") -> str:
        response = self.post("/v1/group/add", name=name)
        assert response.status_code == 200, response.text
        group_id: str = response.json()["groupId"]
        return group_id

    def add(self, group_id: str, **contact: Any) -> Any:
        return self.post("/v1/contact/add", groupId=group_id, contact=contact)
