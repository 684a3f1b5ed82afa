"""Mission timeline: each event with its simulated UTC, the recorded UTC where known (with its source), and the
difference. Written as ``timeline.json`` and ``timeline.csv``."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from ..time import parse_utc


@dataclass
class TimelineEvent:
    name: str
    phase: str
    simulated_utc: str | None
    recorded_utc: str | None = None
    recorded_source: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def difference_s(self) -> float | None:
        """Simulated minus recorded, seconds (None when either is unknown)."""
        if not (self.simulated_utc and self.recorded_utc):
            return None
        return round((parse_utc(self.simulated_utc) - parse_utc(self.recorded_utc)).total_seconds(), 3)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["difference_s"] = self.difference_s
        return d


def sort_key(e: TimelineEvent) -> str:
    return e.simulated_utc or e.recorded_utc or ""


def timeline_csv(events: list[TimelineEvent]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["name", "phase", "simulated_utc", "recorded_utc", "difference_s", "recorded_source", "details"])
    for e in events:
        det = "; ".join(f"{k}={v}" for k, v in e.details.items())
        w.writerow([e.name, e.phase, e.simulated_utc or "", e.recorded_utc or "",
                    "" if e.difference_s is None else e.difference_s, e.recorded_source or "", det])
    return buf.getvalue()
