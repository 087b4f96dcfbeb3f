"""Request ids, /readyz and /metrics, through the real app on both engines."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from carnet.domain.accounts import create_account
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from carnet.storage.database import normalise_url
from support.api import Api


def test_a_request_id_is_made_for_each_answer_and_a_plain_one_is_kept(api: Api) -> None:
    made = api.get("/v1/group/list").headers["x-request-id"]
    other = api.get("/v1/group/list").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made) and made != other
    kept = api.client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.2:x"})
    assert kept.headers["x-request-id"] == "lb-7f3a.2:x"
    # An error answer carries it too.
    refused = api.client.get("/v1/group/list", headers={"X-Request-Id": "abc-1"})
    assert refused.status_code == 401 and refused.headers["x-request-id"] == "abc-1"


@pytest.mark.parametrize("given", ["a b", "x" * 129, "é", "id;apiKey=1", ""])
def test_a_request_id_that_is_not_a_plain_short_token_is_replaced(
    client: TestClient, given: str
) -> None:
    answered = client.get("/healthz", headers=[(b"x-request-id", given.encode())])
    assert re.fullmatch(r"[0-9a-f]{32}", answered.headers["x-request-id"])


def test_readyz_says_the_database_answers_at_the_newest_schema(client: TestClient) -> None:
    answered = client.get("/readyz")
    assert answered.status_code == 200
    body = answered.json()
    assert body["status"] == "ready" and body["database"] in ("sqlite", "postgresql")
    assert re.fullmatch(r"\d{4}", body["schema"])
    assert "redis" not in body


def test_readyz_is_503_when_the_schema_is_behind(client: TestClient, db_url: str) -> None:
    engine = create_engine(normalise_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    answered = client.get("/readyz")
    assert answered.status_code == 503
    body = answered.json()
    assert body["success"] is False and body["code"] == 500
    assert "schema is at 0001" in body["message"]
    assert client.get("/healthz").status_code == 200  # alive all the same


@pytest.fixture
def redis_client(store: Store, db_url: str) -> Iterator[TestClient]:
    # A Redis URL nothing answers on: the rate limit fails open, readiness does not.
    settings = Settings(database_url=db_url, rate_limit=0, redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        yield c


def test_readyz_is_503_when_the_configured_redis_does_not_answer(
    redis_client: TestClient,
) -> None:
    answered = redis_client.get("/readyz")
    assert answered.status_code == 503
    assert answered.json()["message"] == "Redis does not answer"


def test_metrics_are_not_on_the_public_port_unless_enabled(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 404


@pytest.fixture
def metered(store: Store, db_url: str) -> Iterator[Api]:
    settings = Settings(database_url=db_url, rate_limit=3, metrics=1)
    _, key = create_account(store, "alice")
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        yield Api(c, key)


def samples(text_format: str) -> Samples:
    """Every sample of a /metrics answer, by name and labels."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text_format)
        for s in family.samples
    }


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_metrics_count_requests_contacts_refusals_and_limits(metered: Api) -> None:
    before = samples(metered.client.get("/metrics").text)
    group = metered.group()
    assert metered.add(group, phoneNumber="0612345678").status_code == 200
    rows = [{"phoneNumber": "0612345679"}, {"phoneNumber": "12"}, {"phoneNumber": "0612345679"}]
    batch = metered.post("/v1/contact/add", groupId=group, contactsList=rows)
    assert batch.status_code == 200
    assert metered.get("/v1/group/list").status_code == 429  # the fourth request this minute
    after = samples(metered.client.get("/metrics").text)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    route = {"route": "/v1/contact/add", "method": "POST", "status": "200"}
    assert grew("carnet_http_requests_total", **route) == 2
    assert grew("carnet_http_request_duration_seconds_count", route="/v1/contact/add") == 2
    assert grew("carnet_contacts_stored_total", via="single") == 1
    assert grew("carnet_contacts_stored_total", via="batch") == 1
    refused = {
        bucket
        for (name, labels), _ in after.items()
        if name == "carnet_batch_rows_refused_total"
        for _, bucket in labels
        if grew(name, bucket=bucket)
    }
    assert len(refused) == 2  # an invalid number and a duplicate, each in its bucket
    assert grew("carnet_rate_limited_total", by="address") == 1
    assert "carnet_db_pool_in_use" in {name for name, _ in after}
    # Nothing a client chose becomes a label: an unknown path is "other".
    metered.client.get("/v1/nothing?apiKey=secret-key-value")
    final = metered.client.get("/metrics").text
    assert 'route="other"' in final and "secret-key-value" not in final
    assert metered.key not in final and "612345678" not in final
