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
    simulated_altitude_m: float | None = None
    recorded_altitude_m: float | None = None
    simulated_speed_m_s: float | None = None
    recorded_speed_m_s: float | None = None

    @property
    def difference_s(self) -> float | None:
        """Simulated minus recorded, seconds (None when either is unknown)."""
        if not (self.simulated_utc and self.recorded_utc):
            return None
        return round((parse_utc(self.simulated_utc) - parse_utc(self.recorded_utc)).total_seconds(), 3)

    @property
    def altitude_difference_m(self) -> float | None:
        if self.simulated_altitude_m is None or self.recorded_altitude_m is None:
            return None
        return round(self.simulated_altitude_m - self.recorded_altitude_m, 1)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["difference_s"] = self.difference_s
        d["altitude_difference_m"] = self.altitude_difference_m
        return d


def sort_key(e: TimelineEvent) -> str:
    return e.simulated_utc or e.recorded_utc or "9999"


def timeline_csv(events: list[TimelineEvent]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            "name",
            "phase",
            "simulated_utc",
            "recorded_utc",
            "difference_s",
            "simulated_altitude_m",
            "recorded_altitude_m",
            "simulated_speed_m_s",
            "recorded_speed_m_s",
            "recorded_source",
            "details",
        ]
    )

    def f(x):
        return "" if x is None else x

    for e in events:
        det = "; ".join(f"{k}={v}" for k, v in e.details.items())
        w.writerow(
            [
                e.name,
                e.phase,
                f(e.simulated_utc),
                f(e.recorded_utc),
                f(e.difference_s),
                f(e.simulated_altitude_m),
                f(e.recorded_altitude_m),
                f(e.simulated_speed_m_s),
                f(e.recorded_speed_m_s),
                f(e.recorded_source),
                det,
            ]
        )
    return buf.getvalue()
