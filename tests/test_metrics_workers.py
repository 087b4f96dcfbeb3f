"""``/metrics`` of a real ``carnet serve --workers 2``: the counts of every worker, summed.
The directory the workers write them to is gone once the server has stopped."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from support.servers import free_port, new_account, start_server


def requests_counted(text_format: str, route: str, status: str = "200") -> float:
    return sum(
        s.value
        for family in text_string_to_metric_families(text_format)
        for s in family.samples
        if s.name == "carnet_http_requests_total"
        and s.labels.get("route") == route
        and s.labels.get("status") == status
    )


def test_metrics_sum_every_worker_on_the_public_port_when_enabled(
    db_url: str, tmp_path: Path
) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_METRICS": "1"})
    try:
        # New connections each time, so that both workers answer some.
        for _ in range(40):
            assert httpx.get(f"{server.url}/v1/group/list?apiKey={key}").status_code == 200
        scrapes = [httpx.get(server.url + "/metrics") for _ in range(6)]
    finally:
        server.stop()
    assert all(s.status_code == 200 for s in scrapes)
    assert scrapes[0].headers["content-type"].startswith("text/plain")
    # Whichever worker answers the scrape, it shows all 40.
    assert {requests_counted(s.text, "/v1/group/list") for s in scrapes} == {40.0}
    assert key not in scrapes[0].text


def test_a_metrics_port_of_its_own_leaves_the_public_port_without_metrics(
    db_url: str, tmp_path: Path
) -> None:
    key = new_account(db_url)
    port = free_port()
    server = start_server(db_url, tmp_path, "--workers", "2", "--metrics-port", str(port))
    try:
        for _ in range(10):
            httpx.post(f"{server.url}/v1/group/add", json={"apiKey": key, "name": "g"})
        public = httpx.get(server.url + "/metrics")
        private = httpx.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.stop()
    assert public.status_code == 404
    assert private.status_code == 200
    assert requests_counted(private.text, "/v1/group/add") == 10


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_server_stopped_by_sigterm_leaves_no_metrics_directory_behind(
    tmp_path: Path, workers: str
) -> None:
    temporary = tmp_path / "tmp"  # where the server makes its temporary directories
    temporary.mkdir()
    db_url = f"sqlite:///{tmp_path / 'carnet.db'}"
    server = start_server(db_url, tmp_path, "--workers", workers, env={"TMPDIR": str(temporary)})
    try:
        made = [p.name for p in temporary.glob("carnet-metrics-*")]
        assert len(made) == 1, made  # the workers' metrics, while it serves
    finally:
        server.stop()  # SIGTERM, as systemd or a container runtime stops it
    assert "Finished server process" in server.output()  # a graceful stop
    assert [p.name for p in temporary.iterdir()] == []
