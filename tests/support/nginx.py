"""nginx from Debian's package, in front of carnet servers, as the README's site says.

The site is the README's block, taken as written; only its upstream servers and
its listening address are changed to the test's. It runs inside a minimal
``nginx.conf`` of the test's own (its pid, logs and temporary files in the test's
directory), in the foreground, stopped with the test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

README = (Path(__file__).parent.parent.parent / "README.md").read_text()
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def readme_block(first_line: str) -> str:
    """The README's fenced block that begins with ``first_line``."""
    found = re.search(r"```\w*\n(" + re.escape(first_line) + r"\n.*?)```", README, re.DOTALL)
    assert found, f"the README shows a block beginning {first_line!r}"
    return found.group(1)


def site(upstreams: list[str], port: int) -> str:
    """The README's nginx site, sending to ``upstreams`` and listening on 127.0.0.1:``port``."""
    text = readme_block("upstream carnet {")
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;\n", text, re.MULTILINE)
    assert len(servers) == 2, "the README's upstream names two servers"
    text = text.replace("".join(servers), "".join(f"    server {u};\n" for u in upstreams))
    assert "    listen 80;\n" in text
    return text.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n")


class Nginx:
    """A running nginx with the README's site; stopped by :meth:`stop`."""

    def __init__(self, tmp_path: Path, upstreams: list[str], port: int) -> None:
        if not Path(NGINX).exists():
            pytest.fail("nginx is not installed (apt-get install nginx; .ci/run does it)")
        root = tmp_path / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        (root / "site.conf").write_text(site(upstreams, port))
        temp = " ".join(f"{k}_temp_path {root / k};" for k in ("fastcgi", "uwsgi", "scgi"))
        (root / "nginx.conf").write_text(
            f"daemon off; worker_processes 1; pid {root / 'nginx.pid'};\n"
            f"error_log {root / 'error.log'} warn;\n"
            "events { worker_connections 512; }\n"
            f"http {{ access_log off; client_body_temp_path {root / 'body'};\n"
            f"  proxy_temp_path {root / 'proxy'}; {temp}\n"
            f"  include {root / 'site.conf'};\n}}\n"
        )
        self.url = f"http://127.0.0.1:{port}"
        self.error_log = root / "error.log"
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(self.error_log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"nginx did not start: {self.proc.stderr.read()}")  # type: ignore[union-attr]
            try:
                httpx.get(self.url + "/healthz", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("nginx did not answer")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=30)
