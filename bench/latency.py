"""Unloaded latency (one request at a time) on a big database beside an empty one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import load, search, servers
from bench.options import Plan
from bench.results import Results, median, say
from bench.seed import seed_group
from bench.table import Row
from carnet import contract

REQUESTS = 100  # per figure and run


@dataclass(frozen=True)
class BigGroup:
    """A SQLite database holding one group of ``size`` contacts."""

    url: str
    group: str
    ids: list[str]
    size: int


def seed(results: Results, plan: Plan, work: Path) -> BigGroup:
    """Fill the big database through the storage layer (far faster than the API)."""
    url = f"sqlite:///{work / 'big.db'}"
    say(f"seeding a group of {plan.big:,} contacts through the storage layer ...")
    group, ids, seconds = seed_group(url, servers.API_KEY, plan.big)
    results.note(f"Seeded {plan.big:,} contacts (SQLite) in {seconds:.1f} s.")
    return BigGroup(url, group, ids, plan.big)


def measure(results: Results, plan: Plan, empty: servers.Server, big: BigGroup, work: Path) -> None:
    """contact/add, contact/detail and a far page of contact/list, big beside empty; then
    contact/search (:mod:`bench.search`)."""
    with servers.carnet("sqlite-big", big.url, work) as big_server:
        _latencies(results, plan.runs, empty, big_server, big)
        search.measure(results, plan, empty, big_server, big.size)


def _latencies(
    results: Results, runs: int, empty: servers.Server, server: servers.Server, big: BigGroup
) -> None:
    say("latency: empty database beside the big one ...")
    empty_group = servers.new_group(empty, "latency")
    key = servers.API_KEY
    n = REQUESTS
    adds: dict[str, list[float]] = {"empty": [], "big": []}
    details: dict[str, list[float]] = {"empty": [], "big": []}
    pages: dict[str, list[float]] = {"1": [], "5000": []}
    last_page = min(5000, big.size // contract.PAGE_SIZE)
    for r in range(runs):
        base = 5_000_000 + r * 100_000
        for name, target, group in (("empty", empty, empty_group), ("big", server, big.group)):
            bodies: list[dict[str, object]] = [
                {"apiKey": key, "groupId": group, "contact": {"phoneNumber": f"077{base + i:07d}"}}
                for i in range(n)
            ]
            adds[name].append(load.latency(target, "/v1/contact/add", bodies, get=False).p50_ms)
        empty_ids = _contact_ids(empty, empty_group)
        for name, target, ids in (("empty", empty, empty_ids), ("big", server, big.ids)):
            params: list[dict[str, object]] = [
                {"apiKey": key, "contactId": ids[i % len(ids)]} for i in range(n)
            ]
            details[name].append(load.latency(target, "/v1/contact/detail", params, True).p50_ms)
        for page in ("1", "5000"):
            number = 1 if page == "1" else last_page
            params = [{"apiKey": key, "groupId": big.group, "page": number}] * (n // 2)
            pages[page].append(load.latency(server, "/v1/contact/list", params, True).p50_ms)
    label = f"{big.size:,}"
    results.add(
        Row(
            f"contact/list page {last_page} vs page 1, ms ({label} in group)",
            median(pages["5000"]),
            median(pages["1"]),
            "page 1",
            2.0,
            "<=",
            "ms",
            ratio_goal=2.0,
        )
    )
    for what, figures in (("contact/add", adds), ("contact/detail", details)):
        results.add(
            Row(
                f"{what} latency p50 ms, {label} stored vs empty",
                median(figures["big"]),
                median(figures["empty"]),
                "empty db",
                1.5,
                "<=",
                "ms",
                ratio_goal=1.5,
            )
        )


def _contact_ids(server: servers.Server, group: str) -> list[str]:
    answer = httpx.get(
        server.url + "/v1/contact/list",
        params={"apiKey": servers.API_KEY, "groupId": group, "page": 1},
        timeout=30,
    ).json()
    return [c["contactId"] for c in answer["datas"]]
