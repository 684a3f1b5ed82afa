"""Launch vehicles as records: capability by interpolation in C3, the reachable declination of the launch
asymptote (DLA), and the verdict for one payload.

Model of the reachable DLA, and its limits
------------------------------------------
A launcher leaves its parking orbit with one burn near perigee of the departure hyperbola; the outgoing asymptote
lies in the plane of the parking orbit. A plane of inclination ``i`` contains directions of declination
``-i..+i`` only (a great circle inclined by ``i`` to the equator), so a departure asymptote of declination DLA
is reachable from that orbit when ``|DLA| <= i``. A site's drop zones allow a few inclinations (Baikonur: 51.6,
64.8, 72.7 deg); a launcher's performance table is published for some of them. areo takes the highest inclination
for which the table is published, so the reachable range is ``|DLA| <= max(parking_inclinations_deg)``.

The time of day of lift-off and the coast limit are checked by the launch period, not here (no date or RLA
here): ``areo.launch.departure`` places the two parking-orbit planes that hold a day's asymptote, the instants the
site (``LaunchSite.longitude_deg``) passes through them, and the coast from lift-off to the escape burn against
``max_coast_min``; a day on which neither coast fits closes. There the day's lowest listed inclination that
reaches |DLA| is flown, the site on its ascending (north-bound) pass.

What the model leaves out: (1) the performance lost when flying a higher-inclination corridor (the table is
used as is for every listed inclination); (2) in the coast: the ascent (the arc is flown at orbital rate from
lift-off, so a real coast to the same burn point is a few minutes longer), intermediate orbits of multi-burn
upper stages (Breeze-M), the node's J2 drift, and the asymptote's drift over the day (held at 00:00 UTC);
(3) dog-leg manoeuvres, which reach declinations beyond the inclination at a performance cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from ..errors import InputError

# status codes of capability_kg (per element)
CAPABILITY_OK = 0
C3_BELOW_TABLE = 1
C3_ABOVE_TABLE = 2
CAPABILITY_STATUS = {
    CAPABILITY_OK: "ok",
    C3_BELOW_TABLE: "C3 below the launcher's performance table",
    C3_ABOVE_TABLE: "C3 above the launcher's performance table",
}


@dataclass(frozen=True)
class LaunchSite:
    name: str
    title: str
    latitude_deg: float
    inclinations_deg: tuple[float, ...]
    source: str
    longitude_deg: float | None = None  # east; sets the time of day of lift-off (areo.launch.departure)


@dataclass(frozen=True)
class Launcher:
    """A launch vehicle with its escape-performance table (payload kg vs C3 km^2/s^2) and launch site."""

    name: str
    title: str
    site: LaunchSite
    parking_inclinations_deg: tuple[float, ...]
    parking_altitude_km: float
    max_coast_min: float
    c3_table_km2_s2: tuple[float, ...]
    payload_table_kg: tuple[float, ...]
    estimate: bool
    source: str

    @property
    def c3_range_km2_s2(self) -> tuple[float, float]:
        return self.c3_table_km2_s2[0], self.c3_table_km2_s2[-1]

    @property
    def max_dla_deg(self) -> float:
        """Largest reachable |DLA| (deg): the highest parking-orbit inclination with published performance."""
        return max(self.parking_inclinations_deg)

    def capability_kg(self, c3_km2_s2: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Payload capability (kg) at each C3, linear in the table, and a per-element status code
        (``CAPABILITY_STATUS``); outside the table the capability is 0 with status 1 (below) or 2 (above)."""
        c3 = np.atleast_1d(np.asarray(c3_km2_s2, dtype=float))
        lo, hi = self.c3_range_km2_s2
        status = np.where(c3 < lo, C3_BELOW_TABLE, np.where(c3 > hi, C3_ABOVE_TABLE, CAPABILITY_OK))
        status = np.where(np.isfinite(c3), status, C3_ABOVE_TABLE).astype(np.int8)
        cap = np.interp(np.nan_to_num(c3, nan=hi), self.c3_table_km2_s2, self.payload_table_kg)
        return np.where(status == CAPABILITY_OK, cap, 0.0), status

    def dla_reachable(self, dla_deg: npt.ArrayLike) -> np.ndarray:
        return cast(np.ndarray, np.abs(np.asarray(dla_deg, dtype=float)) <= self.max_dla_deg)

    def describe_dla_range(self) -> str:
        return f"-{self.max_dla_deg:g}..+{self.max_dla_deg:g} deg"


@dataclass(frozen=True)
class Assessment:
    """Whether a launcher can send ``payload_kg`` onto a departure of energy C3 and declination DLA."""

    launcher: str
    c3_km2_s2: float
    dla_deg: float | None
    payload_kg: float | None
    capability_kg: float
    margin_kg: float | None
    feasible: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "launcher": self.launcher,
            "c3_km2_s2": self.c3_km2_s2,
            "dla_deg": self.dla_deg,
            "payload_kg": self.payload_kg,
            "capability_kg": round(self.capability_kg, 1),
            "margin_kg": None if self.margin_kg is None else round(self.margin_kg, 1),
            "feasible": self.feasible,
            "reason": self.reason,
        }


def check_payload(payload_kg: float) -> None:
    """InputError unless the payload is a finite mass above 0 kg."""
    if not (np.isfinite(payload_kg) and payload_kg > 0):
        raise InputError(
            f"payload mass must be a finite number above 0 kg (got {payload_kg:g} kg); give --payload-kg in kg."
        )


def assess(
    launcher: Launcher, c3_km2_s2: float, dla_deg: float | None = None, payload_kg: float | None = None
) -> Assessment:
    """The capability at ``c3_km2_s2``, the margin for ``payload_kg`` and whether the departure is flyable.

    Raises ``InputError`` for a C3 outside the launcher's table (with the table's range) or a negative payload;
    an infeasible departure is not an error here: ``feasible`` is False and ``reason`` says why.
    """
    c3 = float(c3_km2_s2)
    lo, hi = launcher.c3_range_km2_s2
    if not np.isfinite(c3) or not lo <= c3 <= hi:
        raise InputError(
            f"C3 {c3:g} km^2/s^2 is outside the performance table of {launcher.name} ({lo:g}..{hi:g} km^2/s^2); "
            "give a C3 in that range."
        )
    if payload_kg is not None:
        check_payload(payload_kg)
    if dla_deg is not None and not (np.isfinite(dla_deg) and -90.0 <= dla_deg <= 90.0):
        raise InputError(
            f"a declination of the launch asymptote must lie from -90 to 90 deg (got {dla_deg:g} deg); "
            "give --dla in degrees."
        )
    cap = float(launcher.capability_kg(c3)[0][0])
    margin = None if payload_kg is None else cap - float(payload_kg)
    reasons = []
    if margin is not None and margin < 0:
        reasons.append(
            f"payload {payload_kg:g} kg exceeds the capability of {launcher.name} at C3 {c3:g} km^2/s^2 "
            f"({cap:.0f} kg) by {-margin:.0f} kg"
        )
    if dla_deg is not None and not bool(launcher.dla_reachable(dla_deg)):
        reasons.append(
            f"DLA {dla_deg:g} deg is outside the reachable range of {launcher.name} from {launcher.site.title} "
            f"({launcher.describe_dla_range()}: parking orbits of "
            f"{', '.join(f'{i:g}' for i in launcher.parking_inclinations_deg)} deg)"
        )
    feasible = not reasons
    reason = "; ".join(reasons) if reasons else "feasible"
    if feasible and margin is not None:
        reason = f"feasible with a margin of {margin:.0f} kg"
    return Assessment(launcher.name, c3, dla_deg, payload_kg, cap, margin, feasible, reason)
