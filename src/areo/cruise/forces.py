"""Force model of the cruise: point-mass Sun, planets and Moon from DE421, optional solar radiation pressure.

Body positions come from an :class:`EphemerisTable`: DE421 states (via :mod:`areo.ephem`) sampled on a regular
grid and interpolated with cubic Hermite polynomials, so one right-hand-side evaluation costs a few numpy
operations instead of a dozen Chebyshev evaluations. With the default 3 h step the interpolation error is below
1 m for the Moon, 5 cm for the Earth (monthly wobble) and 1 cm for the other planets (tested against DE421 directly).

Equations of motion relative to an *origin* body ``c`` (the Sun or any :mod:`areo.bodies` record with a sphere of
influence: Earth, Mars, Venus), ICRF axes, SI units::

    a = -GM_c r / |r|^3 + sum_{i != c} GM_i [ (d_i - r) / |d_i - r|^3 - d_i / |d_i|^3 ]  (+ a_srp + a_thrust)

with ``d_i`` the position of body ``i`` relative to ``c``. The second term inside the bracket is the indirect
acceleration of the (non-inertial) origin. With only the Sun, a Sun-centred integration is the two-body problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import constants as K
from ..bodies import BODIES, origins
from ..ephem import default_ephemeris
from ..errors import InputError, unknown_choice

DEFAULT_BODIES = ("sun", "mercury", "venus", "earth", "moon", "mars", "jupiter", "saturn", "uranus", "neptune")

# Gravitational parameters (m^3/s^2) by ephemeris body name: the central bodies' from areo.bodies, the others from
# areo.constants (DE421's Jupiter..Neptune are system barycentres).
GM_BY_BODY: dict[str, float] = {
    **{name: float(b.gm_m3_s2) for name, b in BODIES.items()},
    "mercury": float(K.GM_MERCURY),
    "jupiter": float(K.GM_JUPITER_SYSTEM),
    "saturn": float(K.GM_SATURN_SYSTEM),
    "uranus": float(K.GM_URANUS_SYSTEM),
    "neptune": float(K.GM_NEPTUNE_SYSTEM),
}
ORIGINS = origins()  # the Sun and every central body with a sphere of influence


@dataclass(frozen=True)
class SolarRadiationPressure:
    """Cannonball solar radiation pressure: ``a = P(1 au) Cr A/m (1 au / r)^2`` away from the Sun.

    ``area_m2`` is the sunlit cross-section, ``cr`` the reflectivity coefficient (1 = absorbing, 2 = mirror).
    No eclipses (they last minutes near Mars and do not matter for cruise).
    """

    area_m2: float
    cr: float = 1.3

    def __post_init__(self):
        if not (self.area_m2 >= 0 and np.isfinite(self.area_m2)):
            raise InputError(f"SRP area_m2 must be a finite number >= 0 (m^2); got {self.area_m2!r}.")
        if not (0.0 <= self.cr <= 2.0):
            raise InputError(f"SRP reflectivity coefficient cr must lie in [0, 2]; got {self.cr!r}.")


class EphemerisTable:
    """Sun-centred ICRF states of ``bodies`` on a regular TDB grid, with cubic Hermite interpolation.

    ``positions(t)`` returns an array (n_bodies, 3) in metres; epochs outside ``[t0_tdb_s, t1_tdb_s]`` raise.
    """

    def __init__(self, bodies, t0_tdb_s: float, t1_tdb_s: float, step_s: float = 10_800.0, ephemeris=None):
        eph = ephemeris or default_ephemeris()
        self.bodies = tuple(bodies)
        for b in self.bodies:
            if b not in GM_BY_BODY:
                raise unknown_choice("body", b, GM_BY_BODY)
        lo, hi = float(min(t0_tdb_s, t1_tdb_s)), float(max(t0_tdb_s, t1_tdb_s))
        n = max(int(np.ceil((hi - lo) / step_s)), 1) + 3
        self.t0 = lo - step_s
        self.h = float(step_s)
        self.t = self.t0 + self.h * np.arange(n + 1)
        eph.check_range(self.t, what="cruise epoch")
        p = np.zeros((n + 1, len(self.bodies), 3))
        v = np.zeros_like(p)
        for j, b in enumerate(self.bodies):
            if b != "sun":
                p[:, j], v[:, j] = eph.state(b, self.t, center="sun")
        self.p = p
        self.vh = v * self.h  # velocity scaled by the step, as the Hermite basis wants
        self.n = n
        self.index = {b: j for j, b in enumerate(self.bodies)}

    @property
    def span_tdb_s(self) -> tuple[float, float]:
        return float(self.t[0]), float(self.t[-1])

    def _locate(self, t: float):
        x = (t - self.t0) / self.h
        k = int(x)
        if k < 0 or k >= self.n or x < 0:
            lo, hi = self.span_tdb_s
            raise InputError(
                f"epoch {t:.1f} s TDB is outside the force model's ephemeris table [{lo:.1f}, {hi:.1f}] s TDB; "
                "build the ForceModel over the whole span you propagate (ForceModel.for_span)."
            )
        return k, x - k

    def positions(self, t: float) -> np.ndarray:
        k, s = self._locate(t)
        s2, s3 = s * s, s * s * s
        h00 = 2 * s3 - 3 * s2 + 1
        h10 = s3 - 2 * s2 + s
        h01 = -2 * s3 + 3 * s2
        h11 = s3 - s2
        return h00 * self.p[k] + h10 * self.vh[k] + h01 * self.p[k + 1] + h11 * self.vh[k + 1]

    def state(self, body: str, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Sun-centred ICRF (r_m, v_m_s) of one body from the interpolant (zero for the Sun)."""
        if body == "sun":
            return np.zeros(3), np.zeros(3)
        j = self.index[body]
        k, s = self._locate(t)
        s2, s3 = s * s, s * s * s
        r = (
            (2 * s3 - 3 * s2 + 1) * self.p[k, j]
            + (s3 - 2 * s2 + s) * self.vh[k, j]
            + (-2 * s3 + 3 * s2) * self.p[k + 1, j]
            + (s3 - s2) * self.vh[k + 1, j]
        )
        v = (
            (6 * s2 - 6 * s) * self.p[k, j]
            + (3 * s2 - 4 * s + 1) * self.vh[k, j]
            + (-6 * s2 + 6 * s) * self.p[k + 1, j]
            + (3 * s2 - 2 * s) * self.vh[k + 1, j]
        ) / self.h
        return r, v


class ForceModel:
    """Point-mass gravity of ``bodies`` (+ optional SRP) over a time span; see the module docstring.

    Build with :meth:`for_span`. ``acceleration(t, r, origin, mass_kg)`` is the kernel the integrator calls.
    """

    def __init__(self, table: EphemerisTable, srp: SolarRadiationPressure | None = None):
        self.table = table
        self.bodies = table.bodies
        self.gm = np.array([GM_BY_BODY[b] for b in self.bodies])
        self.srp = srp

    @classmethod
    def for_span(
        cls,
        t0_tdb_s: float,
        t1_tdb_s: float,
        bodies=DEFAULT_BODIES,
        srp: SolarRadiationPressure | None = None,
        step_s: float = 10_800.0,
        ephemeris=None,
    ):
        bodies = tuple(bodies)
        if "sun" not in bodies:
            raise InputError(f"the force model needs the Sun among its bodies; got {bodies}. Add 'sun'.")
        return cls(EphemerisTable(bodies, t0_tdb_s, t1_tdb_s, step_s=step_s, ephemeris=ephemeris), srp)

    def check_origin(self, origin: str) -> None:
        if origin not in ORIGINS:
            raise unknown_choice("origin", origin, ORIGINS)
        if origin not in self.bodies:
            raise InputError(f"origin {origin!r} is not among the force model's bodies {self.bodies}; add it.")

    def origin_state(self, origin: str, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Sun-centred ICRF state of the origin body at ``t`` (from the same interpolant the forces use)."""
        return self.table.state(origin, t)

    def acceleration(self, t: float, r: np.ndarray, origin: str, mass_kg: float = 1.0) -> np.ndarray:
        """Acceleration (m/s^2) of a spacecraft at ``r`` (m, relative to ``origin``, ICRF) at TDB ``t``."""
        P = self.table.positions(t)  # Sun-centred, (nb, 3)
        j = self.table.index[origin]
        d = P - P[j]  # bodies relative to the origin
        rel = d - r
        dist3 = np.sum(rel * rel, axis=1) ** 1.5
        dn3 = np.sum(d * d, axis=1) ** 1.5
        dn3[j] = 1.0
        direct = rel / dist3[:, None]
        indirect = d / dn3[:, None]
        terms = self.gm[:, None] * (direct - indirect)
        a = terms.sum(axis=0)  # the origin's own row: direct = -r/|r|^3, indirect = 0
        if self.srp is not None and self.srp.area_m2 > 0:
            r_sun = r - d[self.table.index["sun"]]  # spacecraft relative to the Sun
            rn = np.sqrt(r_sun @ r_sun)
            a = a + (K.SOLAR_PRESSURE_1AU * self.srp.cr * self.srp.area_m2 / mass_kg * (K.AU / rn) ** 2) * (r_sun / rn)
        return a
