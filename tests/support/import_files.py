"""Large generated files to import, and what a correct import of each must report."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GeneratedFile:
    """A CSV written by :func:`write_contacts` and the counts an import of it gives."""

    path: Path
    rows: int
    distinct_valid: int
    invalid: int
    repeated: int


def write_contacts(path: Path, rows: int, seed: int = 7) -> GeneratedFile:
    """``rows`` rows of French mobiles: about 1 % invalid, about 1 % repeating an earlier
    number (a different spelling); every other number new. ``;``, a French header."""
    rng = random.Random(seed)
    invalid = repeated = 0
    issued: list[int] = []
    lines = ["Téléphone;Prénom;Nom\n"]
    for i in range(rows):
        draw = rng.random()
        if draw < 0.01:
            phone, invalid = "06 12 34", invalid + 1
        elif draw < 0.02 and issued:
            number = issued[rng.randrange(len(issued))]
            phone, repeated = f"+33 {number}", repeated + 1
        else:
            number = 600_000_000 + len(issued) * 7_919 % 30_000_000
            issued.append(number)
            phone = f"0{number}"
        lines.append(f"{phone};Prénom{i % 97};Nom{i % 89}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return GeneratedFile(path, rows, len(issued), invalid, repeated)
