"""Every code block of README.md runs, as pasted, against a live ``carnet serve``.

The server is started as ``make run`` starts it (``carnet serve`` on a SQLite
``carnet.db`` in its working directory), with ``CARNET_BOOTSTRAP_API_KEY`` so that
the key the reader pastes into ``$KEY`` is known. Shell blocks then run in README
order in one bash session, under ``set -Eeuo pipefail``, in that same directory:
variables flow from block to block as in the reader's terminal. Python blocks run
in a ``python3`` started by that session, so they see what the README exported.
The only change made to a block is its base URL, rewritten to the server's port.

Besides each command exiting 0:

- every ``curl`` answer is the contract's envelope (XML under ``_format=xml``)
  and matches the answer the README's comment shows right after the command
  (``...`` standing for the rest), or is a success when no comment shows one;
- a ``text`` block marked ``<!-- output -->`` is what the block before it printed;
- a ``# value`` comment on a ``print(...)`` line of a Python block is a line it printed.

A ``sh`` or ``python`` block the test cannot run is marked ``<!-- not run: why -->``
right above it and listed in NOT_RUN; a ``text`` block marked
``<!-- file: NAME -->`` is a file the examples read, written before they run.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from carnet.contract import CODES
from support.servers import BOOTSTRAP_KEY, Server, start_server

README_PATH = Path(__file__).parent.parent / "README.md"
README = README_PATH.read_text(encoding="utf-8")
README_URL = "http://127.0.0.1:8000"

RUN = {"sh", "python"}
KNOWN_LANGS = RUN | {"text"}

# The blocks marked ``<!-- not run: ... -->``, by first line, and why.
NOT_RUN = {
    "make run     # sets up .venv, then serves the API on http://127.0.0.1:8000 "
    "(SQLite file carnet.db)": "this test starts the server as make run does; make test runs it",
    "export KEY=paste-the-key-printed-by-make-run": (
        "a placeholder for the reader's key; the session exports the server's key instead"
    ),
    "carnet restore carnet-backup.db": "it needs the server stopped; tests/test_backups.py runs it",
    'pg_dump --format=custom --file=carnet.dump "$DATABASE_URL"': (
        "it needs PostgreSQL; tests/test_backups.py runs the block as written"
    ),
}

# Answers that are not the contract's envelope, by path, with what they must hold.
NOT_ENVELOPES = {
    "/healthz": lambda body: body.get("status") == "ok",
    "/readyz": lambda body: body.get("status") == "ready",
    "/openapi.json": lambda body: "openapi" in body and "/v1/contact/add" in body["paths"],
}

ANY = "\x00any"  # what ``"..."``, ``{...}`` and ``[...]`` stand for in an answer's comment


# -- reading the README ---------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language, where it is, its lines and its marker."""

    lang: str
    fence: int  # README line of the opening fence; the block's first line is fence + 1
    lines: tuple[str, ...]
    marker: str | None = None  # "not run", "output" or "file"
    note: str = ""  # what follows the marker's colon

    @property
    def runs(self) -> bool:
        return self.lang in RUN and self.marker != "not run"

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    def __str__(self) -> str:
        return f"README.md:{self.fence} ({self.lang or 'no language'} block)"


FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*(not run|output|file)\s*(?::\s*(.*?))?\s*-->$")


def readme_blocks(text: str = README) -> list[Block]:
    """Every fenced block of ``text``, in order, with the marker on the line above it."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        end = lines.index("```", i + 1)
        marker = MARKER.match(lines[i - 1]) if i else None
        blocks.append(
            Block(
                lang=opening.group(1),
                fence=i + 1,
                lines=tuple(lines[i + 1 : end]),
                marker=marker.group(1) if marker else None,
                note=(marker.group(2) or "") if marker else "",
            )
        )
        i = end + 1
    return blocks


@dataclass
class Statement:
    """One shell command line (continuations included) and the comments after it."""

    start: int
    end: int = 0
    code: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def curls(self) -> int:
        return len(re.findall(r"(?:^|[\s;|&(])curl(?=\s)", self.code))

    def __str__(self) -> str:
        return f"README.md:{self.start}: {self.code.strip()[:100]}"


def _strip_comment(
    line: str, quote: str | None, depth: int
) -> tuple[str, str | None, tuple[str | None, int]]:
    """The code of ``line``, its comment (or None), and the quote and $( depth it leaves open."""
    code = []
    i = 0
    while i < len(line):
        c = line[i]
        if quote == "'":
            quote = None if c == "'" else quote
        elif quote == '"':
            if c == "\\":
                code.append(c)
                i += 1
                c = line[i] if i < len(line) else ""
            elif c == '"':
                quote = None
        elif c == "#" and (i == 0 or line[i - 1] in " \t;|&("):
            return "".join(code), line[i + 1 :].strip(), (quote, depth)
        elif c == "\\":
            code.append(c)
            i += 1
            c = line[i] if i < len(line) else ""
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        code.append(c)
        i += 1
    return "".join(code), None, (quote, depth)


def shell_statements(block: Block) -> list[Statement]:
    """The block's commands, each with the comment lines that follow it directly."""
    statements: list[Statement] = []
    current: Statement | None = None
    collecting = False  # comment lines right after a command belong to it
    quote: str | None = None
    depth = 0
    for number, line in enumerate(block.lines, start=block.fence + 1):
        code, comment, (quote, depth) = _strip_comment(line, quote, depth)
        if current is None:
            if not code.strip():
                if comment is not None and collecting:
                    statements[-1].comments.append(comment)
                else:
                    collecting = False
                continue
            current = Statement(start=number)
        current.code += code + "\n"
        if quote or depth > 0 or code.rstrip().endswith("\\"):
            continue
        current.end = number
        if comment is not None:
            current.comments.append(comment)
        statements.append(current)
        current = None
        collecting = True
    assert current is None, f"{block}: the command from line {block.fence} is not closed"
    return statements


def answer_pattern(statement: Statement) -> tuple[str, Any] | None:
    """The answer a statement's comments show: ("json", value) or ("xml", element)."""
    text = " ".join(statement.comments)
    if "<response>" in text:
        xml = text[text.index("<response>") : text.index("</response>") + len("</response>")]
        return "xml", ET.fromstring(xml)
    if '{"' not in text:
        return None
    shown = text[text.index('{"') :]
    placeholder = json.dumps(ANY)
    shown = re.sub(r'"\.\.\."|\{\s*\.\.\.\s*\}|\[\s*\.\.\.\s*\]', lambda _: placeholder, shown)
    shown = re.sub(r",\s*\.\.\.(?=\s*[,}\]])|\.\.\.\s*,", "", shown)
    value, _ = json.JSONDecoder().raw_decode(shown)
    return "json", value


def mismatch(shown: Any, actual: Any, where: str = "") -> str | None:
    """Where ``actual`` differs from ``shown``; keys ``shown`` leaves out are not compared."""
    if shown == ANY:
        return None
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return f"{where or 'answer'} is {actual!r}, not an object"
        for key, value in shown.items():
            if key not in actual:
                return f"{where}.{key} is missing"
            problem = mismatch(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(shown, list):
        if not isinstance(actual, list) or len(actual) != len(shown):
            return f"{where} is {actual!r}, the README shows {shown!r}"
        for i, (a, b) in enumerate(zip(shown, actual, strict=True)):
            problem = mismatch(a, b, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if shown != actual:
        return f"{where} is {actual!r}, the README shows {shown!r}"
    return None


# -- the static rules -------------------------------------------------------------


def test_every_shell_or_python_block_runs_or_is_listed_as_not_run() -> None:
    blocks = readme_blocks()
    for block in blocks:
        assert block.lang in KNOWN_LANGS, (
            f"{block}: tag it sh or python (it then runs in tests/test_readme.py) "
            "or text (output, a synopsis, a file's contents)"
        )
        if block.marker == "not run":
            assert block.lang in RUN, f"{block}: only sh and python blocks are marked not run"
            assert block.note, f"{block}: say why it does not run: <!-- not run: why -->"
        if block.marker in ("output", "file"):
            assert block.lang == "text", f"{block}: an {block.marker} block is tagged text"
    not_run = {b.lines[0] for b in blocks if b.marker == "not run"}
    assert not_run == set(NOT_RUN), "README's <!-- not run --> blocks and NOT_RUN differ"
    for block in blocks:
        if block.marker == "output":
            before = [b for b in blocks if b.fence < block.fence][-1]
            assert before.runs, f"{block}: an output block follows the block that prints it"
    assert sum(b.runs and b.lang == "python" for b in blocks) >= 1
    assert sum(b.runs and b.lang == "sh" for b in blocks) >= 8


def test_no_command_substitution_hides_its_failure() -> None:
    # `export X=$(cmd)` answers export's status, so a failing cmd would go unseen
    # under set -e; `X=$(cmd)` answers cmd's.
    for block in readme_blocks():
        if block.runs and block.lang == "sh":
            for number, line in enumerate(block.lines, start=block.fence + 1):
                assert not re.search(r"\b(export|local|readonly)\s+\w+=\$\(", line), (
                    f"README.md:{number}: assign first, then export: {line}"
                )


def test_statements_and_their_comments_are_read_as_a_shell_would() -> None:
    block = Block(
        "sh",
        10,
        (
            "# leading comment",
            'curl -s "http://x/a?b=1#c" -d "{',
            '  \\"k\\": \\"#v\\"}"  # {"success":true,"name":"...",...}',
            "# second line of the answer",
            "",
            "X=$(curl -s http://x/b \\",
            "  | python3 -c 'print(1)')",
            "curl -s http://x/c",
            '# {"success":false,"code":404,"errors":[...]}: gone',
        ),
    )
    first, second, third = shell_statements(block)
    assert (first.start, first.end, second.start, second.end) == (12, 13, 16, 17)
    assert first.comments == ['{"success":true,"name":"...",...}', "second line of the answer"]
    assert second.comments == [] and second.curls == 1
    assert answer_pattern(first) == ("json", {"success": True, "name": ANY})
    assert answer_pattern(third) == ("json", {"success": False, "code": 404, "errors": ANY})


# -- running the README -------------------------------------------------------------

PROLOGUE = r"""
set -Eeuo pipefail
trap 'echo "exit $? at README.md:$LINENO" >> "$README_OUT/failed"' ERR
__block() { echo "$1" >> "$README_OUT/blocks"; }
# Each curl is recorded (arguments, headers, body) and answers as it would.
curl() {
    local n rc=0
    echo >> "$README_OUT/calls/seq"
    n=$(wc -l < "$README_OUT/calls/seq")
    n=${n//[[:space:]]/}
    printf '%s\0' "$@" > "$README_OUT/calls/$n.args"
    command curl -D "$README_OUT/calls/$n.headers" "$@" > "$README_OUT/calls/$n.body" || rc=$?
    echo "$rc" > "$README_OUT/calls/$n.rc"
    cat "$README_OUT/calls/$n.body"
    return "$rc"
}
"""


def session_script(blocks: list[Block], url: str) -> str:
    """The README as a bash script whose line N is README line N (or blank)."""
    lines = [""] * (len(README.splitlines()) + 1)
    lines[0] = 'source "$README_OUT/prologue.sh"'  # line 1 is the title, in no block
    for block in blocks:
        if not block.runs:
            continue
        opening, closing = block.fence - 1, block.fence + len(block.lines)
        out = f'>"$README_OUT/{block.fence}.out" 2>"$README_OUT/{block.fence}.err" </dev/null'
        if block.lang == "sh":
            lines[opening] = f"__block {block.fence}; {{"
            for i, line in enumerate(block.lines):
                lines[opening + 1 + i] = line.replace(README_URL, url)
            lines[closing] = f"}} {out}"
        else:
            lines[opening] = f'__block {block.fence}; python3 "$README_OUT/{block.fence}.py" {out}'
    return "\n".join(lines)


@dataclass
class Call:
    """One curl the README made: its arguments, HTTP status and body."""

    args: list[str]
    status: int
    body: str
    rc: int

    @property
    def url(self) -> str:
        return next(a for a in self.args if a.startswith("http"))


@dataclass
class Session:
    """What running the README left behind."""

    returncode: int
    stdout: str
    stderr: str
    out: Path
    blocks: list[Block]
    server: Server

    def ran(self) -> list[int]:
        path = self.out / "blocks"
        return [int(n) for n in path.read_text().split()] if path.exists() else []

    def printed(self, block: Block) -> str:
        path = self.out / f"{block.fence}.out"
        return path.read_text() if path.exists() else ""

    def complained(self, block: Block) -> str:
        path = self.out / f"{block.fence}.err"
        return path.read_text() if path.exists() else ""

    def calls(self) -> list[Call]:
        calls = []
        n = 1
        while (self.out / "calls" / f"{n}.rc").exists():
            base = self.out / "calls" / str(n)
            headers = base.with_suffix(".headers").read_text()
            statuses = re.findall(r"^HTTP/\S+ (\d{3})", headers, re.MULTILINE)
            calls.append(
                Call(
                    args=base.with_suffix(".args").read_text().split("\0")[:-1],
                    status=int(statuses[-1]) if statuses else 0,
                    body=base.with_suffix(".body").read_text(),
                    rc=int(base.with_suffix(".rc").read_text()),
                )
            )
            n += 1
        return calls

    def failure(self) -> str:
        """Where the session stopped and what it printed there."""
        ran = self.ran()
        last = next((b for b in self.blocks if ran and b.fence == ran[-1]), None)
        failed = self.out / "failed"
        return "\n".join(
            [
                f"the README session exited {self.returncode}",
                failed.read_text() if failed.exists() else "",
                f"in {last}" if last else "before any block",
                f"its stdout:\n{self.printed(last) if last else ''}",
                f"its stderr:\n{self.complained(last) if last else ''}",
                f"the session's stderr:\n{self.stderr}",
                "the server's last lines:",
                *self.server.output().splitlines()[-15:],
            ]
        )


def _session_path(environ: dict[str, str]) -> str:
    """PATH without the project's venv (the README's `source .venv/bin/activate` adds it)."""
    venv_bin = str(Path(sys.prefix) / "bin")
    dirs = [d for d in environ.get("PATH", "").split(os.pathsep) if d and d != venv_bin]
    if shutil.which("python3", path=os.pathsep.join(dirs)) is None:
        dirs.append(str(Path(sys.base_prefix) / "bin"))  # the README's curl examples use python3
    return os.pathsep.join(dirs)


def _write_files(blocks: list[Block], workdir: Path) -> None:
    # The README shows a spreadsheet's rows as Excel's "CSV UTF-8" saves them, which
    # the reader has as a file of their own: here it is written the way Excel writes
    # it, with a BOM and CRLF line ends (the import's report names both).
    for block in blocks:
        if block.marker == "file":
            (workdir / block.note).write_bytes(
                b"\xef\xbb\xbf" + block.text.replace("\n", "\r\n").encode("utf-8")
            )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reader's checkout, as the examples see it: ``.venv`` and ``carnet.db`` are here."""
    missing = [tool for tool in ("bash", "curl") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the README's examples need {' and '.join(missing)}, not installed here")
    path = tmp_path_factory.mktemp("checkout")
    activate = Path(sys.prefix) / "bin" / "activate"
    if not activate.exists() or not (Path(sys.prefix) / "bin" / "carnet").exists():
        pytest.fail(f"run the tests with the project's venv (make test); {sys.prefix} is not it")
    (path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    return path


@pytest.fixture(scope="module")
def live_server(workdir: Path) -> Iterator[Server]:
    """``carnet serve`` as ``make run`` starts it: carnet.db in its working directory."""
    server = start_server(
        f"sqlite:///{workdir / 'carnet.db'}",
        workdir,
        env={"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY},
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def session(workdir: Path, live_server: Server) -> Session:
    """Every runnable block of the README, run once, in order, in one bash session."""
    blocks = readme_blocks()
    out = workdir.parent / (workdir.name + "-session")
    (out / "calls").mkdir(parents=True)
    (out / "prologue.sh").write_text(PROLOGUE)
    for block in blocks:
        if block.runs and block.lang == "python":
            source = block.text.replace(README_URL, live_server.url)
            (out / f"{block.fence}.py").write_text("\n" * block.fence + source)
    _write_files(blocks, workdir)
    script = out / "readme.sh"
    script.write_text(session_script(blocks, live_server.url))
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CARNET_") and name not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    environ.update(
        PATH=_session_path(os.environ),
        README_OUT=str(out),
        # What the reader's `export KEY=...` does with the key `make run` printed.
        KEY=BOOTSTRAP_KEY,
    )
    done = subprocess.run(
        ["bash", str(script)],
        cwd=workdir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,  # a shared, loaded machine runs the README slowly
    )
    return Session(done.returncode, done.stdout, done.stderr, out, blocks, live_server)


def expected_calls(session: Session) -> list[Statement]:
    """The statement each curl came from, in the order they ran."""
    ran = set(session.ran())
    made = []
    for block in session.blocks:
        if block.fence in ran and block.lang == "sh":
            for statement in shell_statements(block):
                made += [statement] * statement.curls
    return made


def check_answer(call: Call, statement: Statement) -> str | None:
    """What is wrong with ``call``'s answer, given what the README says of it."""
    url = urlsplit(call.url)
    if call.rc != 0:
        return f"curl exited {call.rc}"
    shown = answer_pattern(statement)
    if url.path in NOT_ENVELOPES:
        body = json.loads(call.body)
        if call.status != 200 or not NOT_ENVELOPES[url.path](body):
            return f"HTTP {call.status}: {call.body[:300]}"
        return mismatch(shown[1], body) if shown and shown[0] == "json" else None
    if "xml" in parse_qs(url.query).get("_format", []):
        root = ET.fromstring(call.body)
        if root.tag != "response":
            return f"the XML's root is <{root.tag}>, not <response>"
        answer = {child.tag: child.text or "" for child in root}
        success = answer.get("success") == "true"
        code = int(answer.get("code", "0"))
        if shown is not None:
            assert shown[0] == "xml", f"{statement}: an XML answer shown as JSON"
            expected = {child.tag: child.text or "" for child in shown[1]}
            if problem := mismatch(expected, answer):
                return problem
    else:
        body = json.loads(call.body)
        if not isinstance(body, dict) or not isinstance(body.get("success"), bool):
            return f"not the contract's envelope: {call.body[:300]}"
        success, code = body["success"], body.get("code")
        if shown is not None and (problem := mismatch(shown[1], body)):
            return f"{problem}; the answer: {call.body[:300]}"
    if success != (code == 200):
        return f"success is {success} with code {code}"
    if not success and shown is None:
        return f"an error where the README shows none: {call.body[:300]}"
    status = 200 if success else CODES[code][0]
    if call.status != status:
        return f"HTTP {call.status} for code {code}, the contract says {status}"
    return None


def output_mismatch(shown: Block, printed: str) -> str | None:
    """How ``printed`` differs from what the output block shows (``...``: any lines)."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == "..." else re.escape(line.rstrip()) + r"\n"
        for line in shown.lines
    )
    lines = "".join(line.rstrip() + "\n" for line in printed.splitlines())
    if re.fullmatch(pattern, lines):
        return None
    return f"{shown} shows:\n{shown.text}but the block printed:\n{printed}"


def printed_values(block: Block) -> list[str]:
    """The values a Python block's ``print(...)  # value`` comments show, in order."""
    values = []
    tokens = tokenize.generate_tokens(io.StringIO(block.text).readline)
    for token in tokens:
        if token.type == tokenize.COMMENT and token.line.strip().startswith("print("):
            values.append(token.string.removeprefix("#").strip())
    return values


def test_the_readme_runs_as_pasted(session: Session) -> None:
    if session.returncode != 0:
        pytest.fail(session.failure(), pytrace=False)
    runnable = [b.fence for b in session.blocks if b.runs]
    assert session.ran() == runnable, "some runnable blocks did not run"

    problems = []
    calls, statements = session.calls(), expected_calls(session)
    assert len(calls) == len(statements), (
        f"{len(calls)} curl calls ran, the README's blocks hold {len(statements)}"
    )
    for call, statement in zip(calls, statements, strict=True):
        problem = check_answer(call, statement)
        if problem:
            problems.append(f"{statement}\n    {problem}")

    for i, block in enumerate(session.blocks):
        if block.marker == "output":
            problem = output_mismatch(block, session.printed(session.blocks[i - 1]))
            if problem:
                problems.append(problem)
        if block.runs and block.lang == "python":
            if session.complained(block):
                problems.append(f"{block} wrote to stderr:\n{session.complained(block)}")
            printed = session.printed(block).splitlines()
            position = 0
            for value in printed_values(block):
                if value not in printed[position:]:
                    problems.append(f"{block}: no line {value!r} in order in:\n{printed}")
                    break
                position = printed.index(value, position) + 1
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
