"""The results table, as Markdown (pasted as is into bench/README.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One figure beside its baseline and its goal.

    The goal applies to the figure itself unless ``ratio_goal`` is set, in
    which case it applies to figure / baseline.
    """

    what: str
    value: float
    baseline: float | None
    baseline_name: str
    goal: float
    sense: str  # ">=" or "<="
    unit: str
    ratio_goal: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool:
        judged = self.ratio if self.ratio_goal is not None else self.value
        if judged is None:
            return False
        return judged >= self.goal if self.sense == ">=" else judged <= self.goal


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def render(header: str, rows: list[Row], notes: list[str]) -> str:
    lines = [
        header,
        "",
        "| what | carnet | baseline | ratio | goal | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        baseline = (
            f"{_number(row.baseline)} ({row.baseline_name})" if row.baseline is not None else ""
        )
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        if row.ratio_goal is not None:
            goal = f"ratio {row.sense} {row.ratio_goal:g}"
        else:
            goal = f"{row.sense} {_number(row.goal)} {row.unit}".strip()
        lines.append(
            f"| {row.what} | {_number(row.value)} | {baseline} | {ratio} | {goal} | "
            f"{'yes' if row.met else '**no**'} |"
        )
    lines.append("")
    lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines)
