"""The command line of ``python -m bench``, and the plan of a run it gives."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from bench import servers


@dataclass(frozen=True)
class Plan:
    """How much to run: every figure is a median of ``runs`` runs."""

    quick: bool
    runs: int  # runs per figure
    seconds: float  # length of a load run
    big: int  # contacts in the big group
    use_postgres: bool
    import_rows: int  # rows of the CSV for `carnet import`
    import_runs: int
    only_import: bool
    baseline_src: Path | None  # an older source tree to run beside this one


def parse(argv: list[str] | None, description: str | None) -> Plan:
    """The plan the command line asks for, with the defaults filled in."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=description)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs (about 2 min)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, quick 1)")
    parser.add_argument("--seconds", type=float, help="length of a load run (default 5, quick 3)")
    parser.add_argument("--rows", type=int, help="size of the big group (default 1,000,000)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--import-rows", type=int, help="rows of the CSV for `carnet import` (default 1,000,000)"
    )
    parser.add_argument(
        "--only-import", action="store_true", help="only the `carnet import` end-to-end rows"
    )
    parser.add_argument(
        "--baseline-src",
        type=Path,
        metavar="DIR",
        help="also run carnet from the package under DIR (e.g. an older `git archive` of src/), "
        "alternating runs: single adds, batches and the import beside that baseline",
    )
    args = parser.parse_args(argv)
    return Plan(
        quick=args.quick,
        runs=args.runs or (1 if args.quick else 5),
        seconds=args.seconds or (3.0 if args.quick else 5.0),
        big=args.rows or (200_000 if args.quick else 1_000_000),
        use_postgres=not args.no_postgres and servers.postgres_answers(),
        import_rows=args.import_rows or (200_000 if args.quick else 1_000_000),
        import_runs=args.runs or (1 if args.quick else 3),
        only_import=args.only_import,
        baseline_src=args.baseline_src,
    )
