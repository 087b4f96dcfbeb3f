"""contact/search: a number found in an account of 1,000,000 contacts beside one of 1,000.

The search is indexed by (account, number), so its cost should not grow with
the account's size: the goal is a p50 at most twice the small account's.
``python -m bench`` measures it beside the other latencies; ``python -m
bench.search [--rows N] [--runs N]`` measures it alone (SQLite).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from bench import load, servers
from bench.options import Plan, parse
from bench.results import Results, median, say
from bench.seed import seed_group
from bench.table import Row

SMALL = 1_000
REQUESTS = 200  # per figure and run
_STEP = 7_919  # a prime: numbers spread over the whole account


def _numbers(size: int) -> list[str]:
    """Numbers the seeded account holds (``+336`` and 8 digits, as bench.seed stores them),
    written in French national form as people type them."""
    return [f"06{(i * _STEP) % size:08d}" for i in range(REQUESTS)]


def _fill_small(server: servers.Server) -> None:
    group = servers.new_group(server, "search")
    for start in range(0, SMALL, 500):
        rows = [{"phoneNumber": f"+336{n:08d}"} for n in range(start, min(SMALL, start + 500))]
        body = {"apiKey": servers.API_KEY, "groupId": group, "contactsList": rows}
        response = httpx.post(server.url + "/v1/contact/add", json=body, timeout=60)
        response.raise_for_status()


def measure(
    results: Results, plan: Plan, small: servers.Server, big: servers.Server, size: int
) -> None:
    """p50 of contact/search on ``big`` (``size`` contacts) beside ``small`` (1,000 added here)."""
    say(f"contact/search: {size:,} contacts beside {SMALL:,} ...")
    _fill_small(small)
    figures: dict[str, list[float]] = {"small": [], "big": []}
    for _ in range(plan.runs):
        for name, server, count in (("small", small, SMALL), ("big", big, size)):
            params: list[dict[str, object]] = [
                {"apiKey": servers.API_KEY, "phoneNumber": number} for number in _numbers(count)
            ]
            answer = load.latency(server, "/v1/contact/search", params, get=True)
            assert answer.errors == 0, f"{answer.errors} failed searches on {name}"
            figures[name].append(answer.p50_ms)
    results.add(
        Row(
            f"contact/search p50 ms, {size:,} contacts vs {SMALL:,}",
            median(figures["big"]),
            median(figures["small"]),
            f"{SMALL:,} contacts",
            2.0,
            "<=",
            "ms",
            ratio_goal=2.0,
        )
    )


def main(argv: list[str] | None = None) -> int:
    plan = parse(argv, __doc__)
    results = Results()
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp:
        work = Path(tmp)
        big_url = f"sqlite:///{work / 'big.db'}"
        say(f"seeding {plan.big:,} contacts through the storage layer ...")
        _, _, seconds = seed_group(big_url, servers.API_KEY, plan.big)
        results.note(f"Seeded {plan.big:,} contacts (SQLite) in {seconds:.1f} s.")
        with (
            servers.carnet("sqlite-small", f"sqlite:///{work / 'small.db'}", work) as small,
            servers.carnet("sqlite-big", big_url, work) as big_server,
        ):
            measure(results, plan, small, big_server, plan.big)
    print(results.table(plan.runs, plan.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
