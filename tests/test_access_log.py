"""The access log of a real server: no API key and no personal data, however they are sent.

The key and contact data are sent where a client may put them by design or by
mistake: in the query under other spellings of the name, percent-encoded or
not, and in path parameters (``;apiKey=...``), which the server escapes when it
writes the line. Ids stay readable: they are what an operator looks for.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from support.servers import new_account, start_server

NUMBERS = ["0612345671", "0612345672", "0612345673", "0612345674", "0612345675"]
NAMES = ["Zébulon", "Mirabelle"]


def _spellings(text: str) -> set[str]:
    """Ways ``text`` may appear in a line: as is, percent-encoded, every byte encoded."""
    return {text, quote(text, safe=""), quote(text), "".join(f"%{b:02X}" for b in text.encode())}


def _number_spellings(national: str) -> set[str]:
    e164 = "+33" + national[1:]
    return {*_spellings(national), *_spellings(e164), national[1:]}


def test_keys_and_personal_data_stay_out_of_the_access_log(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url)
    started = datetime.now()
    server = start_server(db_url, tmp_path, "--workers", "2")
    one, two, three, four, five = NUMBERS
    try:
        with httpx.Client(base_url=server.url) as http:
            group = http.post("/v1/group/add", json={"apiKey": key, "name": "g"}).json()["groupId"]
            answers = [
                # Path parameters, plain and escaped: the server escapes ; and = itself.
                http.get(f"/v1/group/list;apiKey={key}"),
                http.get(f"/v1/group/list%3BapiKey%3D{key}"),
                http.get(f"/v1/group/list%3FapiKey%3D{key}"),
                http.get(f"/v1/group/list/apiKey={key}"),
                # ; is no separator to the server, but may be to whoever reads the line.
                http.get(f"/v1/group/list?_format=xml;apiKey={key}"),
                http.get(f"/v1/group/list?groupId=x%26apiKey%3D{key}"),
                # Personal data in the query, under the contract's names and other spellings.
                http.post(f"/v1/stop-sms/add?apiKey={key}&phoneNumber={one}"),
                http.post(f"/v1/stop-sms/add?apiKey={key}&ph%6FneNumber=%2B33{two[1:]}"),
                http.post(f"/v1/stop-sms/add?apiKey={key}&PHONE_NUMBER={three}"),
                http.post(
                    f"/v1/contact/add?apiKey={key}&groupId={group}"
                    f"&contact[firstname]={NAMES[0]}&contact%5BphoneNumber%5D={four}"
                ),
                http.post(
                    f"/v1/contact/add?apiKey={key}&groupId={group}"
                    f"&contactsList[0][phoneNumber]={five}&contactsList[0][lastname]={NAMES[1]}"
                ),
                # Upstream's lookup: its numbers in the query are personal data too.
                http.post(f"/v1/lookup?apiKey={key}&phoneNumbers={one},{two}"),
                http.post(f"/v1/stop-sms/add;phoneNumber={three}?apiKey={key}"),
            ]
    finally:
        server.stop()
    assert [a.status_code for a in answers] == [
        *(404, 404, 404, 404, 401, 401, 200, 200, 400, 200, 200, 200, 404)
    ]
    log = server.output()
    # The access log did run, and still names what an operator needs.
    assert "GET /v1/group/list;apiKey=[redacted] HTTP/1.1" in log
    assert "phoneNumber=[redacted]" in log
    assert f"POST /v1/contact/add?apiKey=[redacted]&groupId={group}&" in log
    # Each line is dated to the millisecond, the date and time of the server's clock.
    dated = [line for line in log.splitlines() if " access: " in line]
    assert len(dated) >= len(answers)
    for line in dated:
        when = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
        assert abs(when - started) < timedelta(minutes=2), line
    secrets = {*_spellings(key), *_spellings(NAMES[0]), *_spellings(NAMES[1])}
    for number in NUMBERS:
        secrets |= _number_spellings(number)
    assert sorted(s for s in secrets if s in log) == []
