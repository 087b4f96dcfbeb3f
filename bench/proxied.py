"""Two carnet servers behind nginx on one PostgreSQL, beside one server alone, same run.

The README's nginx site (its ``upstream`` pointed at two ``carnet serve --workers
2`` on one fresh PostgreSQL database) is put in front of the two; the single
server runs on another fresh database. Runs of single adds alternate between the
single server and nginx; the row is requests/s through nginx beside one server.
On a machine with few cores the two servers share them with nginx and the load
generator, so the ratio says what the proxy costs more than what a second
machine would give.

Alone, for a quick look: ``python -m bench.proxied --seconds 5 --runs 3``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from bench import load, servers
from bench.results import Results, median, say
from bench.table import Row
from bench.throughput import SingleAddRun

README = Path(__file__).parent.parent / "README.md"


def _site(upstreams: list[str], port: int) -> str:
    text = README.read_text()
    found = re.search(r"```text\n(upstream carnet \{\n.*?)```", text, re.DOTALL)
    assert found, "the README's nginx site"
    site = re.sub(r"(?m)^\s*server 127\.0\.0\.1:\d+;\n", "", found.group(1))
    lines = "".join(f"    server {u};\n" for u in upstreams)
    site = site.replace("upstream carnet {\n", "upstream carnet {\n" + lines, 1)
    return site.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n")


@contextmanager
def nginx(work: Path, upstreams: list[str]) -> Iterator[servers.Server]:
    """nginx with the README's site in front of ``upstreams``, as a bench server."""
    root = work / "nginx"
    root.mkdir(exist_ok=True)
    port = servers.free_port()
    (root / "site.conf").write_text(_site(upstreams, port))
    temps = " ".join(f"{k}_temp_path {root / k};" for k in ("fastcgi", "uwsgi", "scgi", "proxy"))
    (root / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {root / 'nginx.pid'}; error_log {root / 'e.log'};\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; client_body_temp_path {root / 'body'}; {temps}\n"
        f"  include {root / 'site.conf'}; }}\n"
    )
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen(
        [binary, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "e.log")]
    )
    server = servers.Server("nginx", f"http://127.0.0.1:{port}", process, root / "e.log")
    try:
        for _ in range(300):
            try:
                httpx.get(server.url + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure(results: Results, runs: int, seconds: float, work: Path, run: SingleAddRun) -> None:
    """The row: single adds a second through nginx to two servers, beside one server."""
    has_nginx = shutil.which("nginx") or Path("/usr/sbin/nginx").exists()
    if not servers.postgres_answers() or not has_nginx:
        results.note("nginx or PostgreSQL missing: no row for two servers behind nginx.")
        return
    with ExitStack() as stack:
        one_db = stack.enter_context(servers.fresh_postgres_database())
        two_db = stack.enter_context(servers.fresh_postgres_database())
        one = stack.enter_context(servers.carnet("pg-one", one_db, work, ready_within=300))
        a = stack.enter_context(servers.carnet("pg-a", two_db, work, ready_within=300))
        b = stack.enter_context(servers.carnet("pg-b", two_db, work, ready_within=300))
        proxy = stack.enter_context(nginx(work, [s.url.removeprefix("http://") for s in (a, b)]))
        groups = {one.name: servers.new_group(one), proxy.name: servers.new_group(proxy)}
        rates: dict[str, list[float]] = {one.name: [], proxy.name: []}
        for r in range(runs):
            say(f"two servers behind nginx, run {r + 1}/{runs} ...")
            for target in (one, proxy):
                done = run(target, groups[target.name], seconds, 50_000_000 + r * 1_000_000)
                rates[target.name].append(done.per_second)
    results.add(
        Row("single adds/s, nginx + 2 servers on one PostgreSQL", median(rates[proxy.name]),
            median(rates[one.name]), "1 server", 0.8, ">=", "req/s", ratio_goal=0.8)
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proxied", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    results = Results()
    run = load.wrk_add if load.ensure_wrk() is not None else load.python_add
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp:
        measure(results, args.runs, args.seconds, Path(tmp), run)
    print(results.table(args.runs, args.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
