"""Request bodies as ordinary clients send them, on a real server.

Clients such as urllib and httpx send the whole body before they read the
answer: when the server answers first (a 413, a 429, an unknown path), it must
read the rest of the body (and throw it away) for them to receive the answer
rather than "connection reset". It still refuses on ``Content-Length`` before
any of the body is parsed, stops reading past a bound, and answers a 413 in XML
when the query asks for it.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from carnet.settings import Settings
from support.servers import Server, new_account, start_server
from support.xmldoc import as_xml_text, xml_envelope

LIMIT = Settings().max_body_bytes
# 5.5 MB of JSON, over the default limit of 4 MiB: a batch too big to send.
BIG = json.dumps({"name": "g", "padding": "x" * 5_500_000}).encode()
TOO_LARGE = {
    "success": False,
    "code": 413,
    "message": f"The request body is larger than {LIMIT} bytes",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp_path = tmp_path_factory.mktemp("bodylimit")
    db_url = f"sqlite:///{tmp_path / 'carnet.db'}"
    new_account(db_url)
    srv = start_server(db_url, tmp_path)
    yield srv
    srv.stop()


def _chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _assert_alive(server: Server) -> None:
    assert httpx.get(server.url + "/healthz").status_code == 200


def _urllib_post(url: str, body: bytes) -> urllib.error.HTTPError:
    """The error answer urllib reads for ``body`` (urllib asks to close after each)."""
    request = urllib.request.Request(url, data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    return refused.value


def test_urllib_reads_the_413(server: Server) -> None:
    for _ in range(3):
        refused = _urllib_post(server.url + "/v1/group/add", BIG)
        assert refused.code == 413
        assert json.loads(refused.read()) == TOO_LARGE
    _assert_alive(server)


def test_httpx_reads_the_413_with_and_without_a_declared_length(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        for _ in range(3):
            declared = http.post("/v1/group/add", content=BIG)
            assert "content-length" in declared.request.headers
            chunked = http.post("/v1/group/add", content=_chunks(BIG))
            assert chunked.request.headers["transfer-encoding"] == "chunked"
            for response in (declared, chunked):
                assert response.status_code == 413
                assert response.json() == TOO_LARGE
    _assert_alive(server)


def test_answers_given_before_the_body_is_read_reach_urllib(server: Server) -> None:
    # Within the limit, but answered without being read: an unknown path, a wrong method.
    body = b"x" * (LIMIT - 1000)
    for _ in range(3):
        unknown = _urllib_post(server.url + "/v1/no/such/path", body)
        assert (unknown.code, json.loads(unknown.read())["code"]) == (404, 404)
        wrong = _urllib_post(server.url + "/v1/group/list", body)
        assert (wrong.code, json.loads(wrong.read())["code"]) == (405, 405)
    _assert_alive(server)


def test_a_429_reaches_a_client_still_sending(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'carnet.db'}"
    limited = start_server(db_url, tmp_path, env={"CARNET_RATE_LIMIT": "1"})
    try:
        body = json.dumps({"name": "g", "padding": "x" * (LIMIT - 1000)}).encode()
        # The health check is exempt; the first request is let through (401: no key).
        assert _urllib_post(limited.url + "/v1/group/add", body).code == 401
        for _ in range(3):
            over = _urllib_post(limited.url + "/v1/group/add", body)
            assert over.code == 429
            assert json.loads(over.read())["code"] == 429
            assert int(over.headers["Retry-After"]) >= 1
    finally:
        limited.stop()


def test_a_413_asked_as_xml_is_the_same_document_in_xml(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        declared = http.post("/v1/group/add?_format=xml", content=BIG)
        chunked = http.post("/v1/group/add?_format=xml", content=_chunks(BIG))
    for response in (declared, chunked):
        assert response.status_code == 413
        assert xml_envelope(response) == as_xml_text(TOO_LARGE)


def _exchange(server: Server, head: bytes, body: bytes = b"") -> bytes:
    """Send ``head`` and ``body`` on one connection; all the server sends until it closes."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as conn:
        conn.sendall(head + body)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


def _head(length: int, *extra: str) -> bytes:
    lines = [
        "POST /v1/group/add HTTP/1.1",
        "Host: carnet",
        "Content-Type: application/json",
        f"Content-Length: {length}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_declared_length_is_refused_before_the_body_is_sent(server: Server) -> None:
    # A client that waits for "100 Continue" is told 413 instead, and sends nothing.
    waiting = _exchange(server, _head(len(BIG), "Expect: 100-continue"))
    assert waiting.startswith(b"HTTP/1.1 413 ")
    assert b"100 Continue" not in waiting
    # A body far past what is worth reading is not waited for: answered, then closed.
    huge = _exchange(server, _head(10 * 1024**3))
    assert huge.startswith(b"HTTP/1.1 413 ")
    assert json.loads(huge.partition(b"\r\n\r\n")[2]) == TOO_LARGE
    _assert_alive(server)


def test_a_client_that_stops_sending_gets_the_413_and_the_connection_ends(
    server: Server,
) -> None:
    # Declares 5.5 MB, sends 1 MB, then waits: the answer comes, and the server
    # stops waiting for the rest after a while.
    answer = _exchange(server, _head(len(BIG)), BIG[: 1024 * 1024])
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2]) == TOO_LARGE
    _assert_alive(server)


def test_a_body_within_the_limit_is_read_whole(server: Server) -> None:
    body = json.dumps({"apiKey": "not-a-key", "name": "g", "padding": "x" * (LIMIT - 100)})
    assert len(body) <= LIMIT
    response = httpx.post(server.url + "/v1/group/add", content=body, timeout=60)
    # Judged on its content: the key comes next in the order of checks.
    assert (response.status_code, response.json()["code"]) == (401, 10)
