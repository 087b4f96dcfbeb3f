"""Crashes and shutdowns: an acknowledged write survives, a batch is never half-stored.

The server runs as `carnet serve --workers 2`. A crash is SIGKILL to the whole
process group while batches are streaming in; a shutdown is SIGTERM while
requests are in flight.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, text

from carnet.storage.database import is_sqlite, normalise_url
from support.servers import Server, new_account, start_server

ROWS = 50
WORKERS = ("--workers", "2")
QUIET = {"CARNET_RATE_LIMIT": "0"}


def _batch(number: int) -> list[dict[str, str]]:
    return [
        {"phoneNumber": f"+336{number:05d}{row:03d}", "custom1": f"batch-{number}"}
        for row in range(ROWS)
    ]


def _rows_by_batch(server: Server, key: str, group: str) -> Counter[str]:
    found: Counter[str] = Counter()
    page = 1
    while True:
        datas = httpx.get(
            server.url + "/v1/contact/list", params={"apiKey": key, "groupId": group, "page": page}
        ).json()["datas"]
        if not datas:
            return found
        found.update(contact["custom1"] for contact in datas)
        page += 1


def _database_is_sound(db_url: str) -> None:
    engine = create_engine(normalise_url(db_url))
    with engine.connect() as conn:
        if is_sqlite(db_url):
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        # Each group's counter agrees with its rows: no half-applied batch.
        drift = conn.execute(
            text(
                "SELECT g.id FROM groups g LEFT JOIN contacts c ON c.group_id = g.id "
                "GROUP BY g.id, g.contact_count HAVING count(c.id) <> g.contact_count"
            )
        ).all()
        assert drift == []
    engine.dispose()


def test_sigkill_mid_stream_loses_no_acknowledged_batch(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, *WORKERS, env=QUIET)
    group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"}).json()[
        "groupId"
    ]
    acknowledged: list[int] = []
    enough = threading.Event()
    numbers = iter(range(400))  # bounded stream: at most 400 batches
    lock = threading.Lock()

    def stream() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                body = {"apiKey": key, "groupId": group, "contactsList": _batch(number)}
                try:
                    response = http.post("/v1/contact/add", json=body)
                except httpx.TransportError:
                    return  # the server is gone
                assert response.status_code == 200, response.text
                assert response.json()["rapport"]["nbline_imported"] == ROWS
                with lock:
                    acknowledged.append(number)
                    if len(acknowledged) >= 12:
                        enough.set()

    with ThreadPoolExecutor(max_workers=4) as pool:
        streams = [pool.submit(stream) for _ in range(4)]
        enough.wait(timeout=120)
        server.kill()
        for running in streams:
            running.result()
    assert len(acknowledged) >= 12

    _database_is_sound(db_url)
    restarted = start_server(db_url, tmp_path, *WORKERS, env=QUIET)
    try:
        found = _rows_by_batch(restarted, key, group)
    finally:
        restarted.stop()
    for number in acknowledged:
        assert found[f"batch-{number}"] == ROWS, number
    assert set(found.values()) == {ROWS}, "a batch was stored in part"


def _send_headers(url: str, path: str, body: bytes) -> socket.socket:
    """Open a request with ``Expect: 100-continue``; return once the server asks for the body.

    The interim 100 answer proves the server has received the request and is
    running it: the request is in flight.
    """
    address = urlsplit(url)
    sock = socket.create_connection((address.hostname, address.port), timeout=60)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Expect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    sock.sendall(head.encode())
    interim = b""
    while not interim.endswith(b"\r\n\r\n"):
        chunk = sock.recv(1)
        assert chunk, "the server closed the connection instead of asking for the body"
        interim += chunk
    assert interim.startswith(b"HTTP/1.1 100"), interim
    return sock


def _finish(sock: socket.socket, body: bytes) -> tuple[int, dict[str, Any]]:
    """Send the body, read the whole answer (the server closes after it)."""
    sock.sendall(body)
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    sock.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(payload)


def test_sigterm_lets_requests_in_flight_finish(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, *WORKERS, env=QUIET)
    group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"}).json()[
        "groupId"
    ]
    bodies = [
        json.dumps({"apiKey": key, "groupId": group, "contactsList": _batch(n)}).encode()
        for n in range(6)
    ]
    in_flight = [_send_headers(server.url, "/v1/contact/add", body) for body in bodies]

    server.proc.send_signal(signal.SIGTERM)
    answers = [_finish(sock, body) for sock, body in zip(in_flight, bodies, strict=True)]
    assert server.proc.wait(timeout=60) == 0

    for status, answer in answers:
        assert status == 200
        assert answer["rapport"]["nbline_imported"] == ROWS
    restarted = start_server(db_url, tmp_path, *WORKERS, env=QUIET)
    try:
        found = _rows_by_batch(restarted, key, group)
    finally:
        restarted.stop()
    assert found == {f"batch-{n}": ROWS for n in range(6)}
    assert "Finished server process" in server.output()
