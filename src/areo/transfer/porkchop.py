"""Porkchop grids: departure x arrival epochs -> C3, v-infinity, declinations, time of flight, transfer type.

Kernel layer: arrays in SI (epochs in TDB seconds past J2000). Body states are heliocentric (Sun-centred, not
barycentric) from the ephemeris, rotated to the mean ecliptic of J2000 so that "prograde" means the sense of the
planets' motion; v-infinity directions (DLA/RLA, arrival declination) are reported in ICRF (EME2000) axes.

Transfer type: I when the prograde transfer angle is below 180 degrees, II above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .._jax import jax, jnp
from ..constants import DAY, GM_SUN, POLE_RA_DEC_DEG
from ..ephem import default_ephemeris
from ..errors import InputError, ResourceError
from .lambert import _kernel as _lambert_kernel

# Largest grid computed in one call (cells). Results take ~100 bytes per cell, the kernel ~1 kB per cell in flight
# (computed in blocks of _BLOCK cells), so the limit keeps a run below ~1 GB of memory.
MAX_GRID_CELLS = 9_000_000
_BLOCK = 1 << 20
_BYTES_PER_CELL = 100


def _unit_pole(body: str) -> np.ndarray:
    ra, dec = np.radians(POLE_RA_DEC_DEG.get(body, (0.0, 90.0)))
    return np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])


@jax.jit
def _grid_kernel(
    r_dep: jax.Array,
    v_dep: jax.Array,
    r_arr: jax.Array,
    v_arr: jax.Array,
    t_dep: jax.Array,
    t_arr: jax.Array,
    mu: float,
    pole_arr: jax.Array,
) -> dict[str, jax.Array]:
    """All cells of a (n_dep, n_arr) block; inputs in the ecliptic frame, SI."""
    nd, na = t_dep.shape[0], t_arr.shape[0]
    r1 = jnp.broadcast_to(r_dep[:, None, :], (nd, na, 3)).reshape(-1, 3)
    r2 = jnp.broadcast_to(r_arr[None, :, :], (nd, na, 3)).reshape(-1, 3)
    tof = (t_arr[None, :] - t_dep[:, None]).reshape(-1)
    n = tof.shape[0]
    zeros_i = jnp.zeros(n, jnp.int32)
    false = jnp.zeros(n, bool)
    v1, v2, status = _lambert_kernel(r1, r2, tof, jnp.full(n, mu), zeros_i, false, false, multirev=False)
    vinf_d = v1 - jnp.broadcast_to(v_dep[:, None, :], (nd, na, 3)).reshape(-1, 3)
    vinf_a = v2 - jnp.broadcast_to(v_arr[None, :, :], (nd, na, 3)).reshape(-1, 3)
    # prograde transfer angle > 180 deg <=> (r1 x r2).z < 0 in the ecliptic frame
    hz = r1[:, 0] * r2[:, 1] - r1[:, 1] * r2[:, 0]
    ttype = jnp.where(hz >= 0.0, 1, 2).astype(jnp.int8)
    eps = 0.40909280422232897  # IAU 2006 obliquity at J2000 (rad), equals constants.OBLIQUITY_J2000
    c, s = jnp.cos(eps), jnp.sin(eps)

    def to_icrf(v: jax.Array) -> jax.Array:
        return jnp.stack([v[:, 0], c * v[:, 1] - s * v[:, 2], s * v[:, 1] + c * v[:, 2]], axis=-1)

    vd = to_icrf(vinf_d)
    va = to_icrf(vinf_a)
    vdn = jnp.linalg.norm(vd, axis=-1)
    van = jnp.linalg.norm(va, axis=-1)
    dla = jnp.degrees(jnp.arcsin(jnp.clip(vd[:, 2] / vdn, -1.0, 1.0)))
    rla = jnp.degrees(jnp.arctan2(vd[:, 1], vd[:, 0])) % 360.0
    dec_a = jnp.degrees(jnp.arcsin(jnp.clip(va[:, 2] / van, -1.0, 1.0)))
    dec_a_eq = jnp.degrees(jnp.arcsin(jnp.clip(va @ pole_arr / van, -1.0, 1.0)))
    shape = (nd, na)
    return dict(
        c3_km2_s2=(vdn**2 / 1e6).reshape(shape),
        vinf_depart_km_s=(vdn / 1e3).reshape(shape),
        dla_deg=dla.reshape(shape),
        rla_deg=rla.reshape(shape),
        vinf_arrive_km_s=(van / 1e3).reshape(shape),
        dec_arrive_deg=dec_a.reshape(shape),
        dec_arrive_body_equator_deg=dec_a_eq.reshape(shape),
        tof_days=(tof / DAY).reshape(shape),
        transfer_type=ttype.reshape(shape),
        status=status.reshape(shape),
    )


GRID_FIELDS = (
    "c3_km2_s2",
    "vinf_depart_km_s",
    "dla_deg",
    "rla_deg",
    "vinf_arrive_km_s",
    "dec_arrive_deg",
    "dec_arrive_body_equator_deg",
    "tof_days",
    "transfer_type",
    "status",
)


@dataclass
class PorkchopGrid:
    """Porkchop results on a grid; every 2-D array is indexed ``[i_depart, j_arrive]``.

    Cells whose Lambert ``status`` is not 0 (e.g. arrival before departure) hold NaN.
    """

    origin: str
    target: str
    depart_tdb_s: np.ndarray
    arrive_tdb_s: np.ndarray
    c3_km2_s2: np.ndarray
    vinf_depart_km_s: np.ndarray
    dla_deg: np.ndarray
    rla_deg: np.ndarray
    vinf_arrive_km_s: np.ndarray
    dec_arrive_deg: np.ndarray
    dec_arrive_body_equator_deg: np.ndarray
    tof_days: np.ndarray
    transfer_type: np.ndarray
    status: np.ndarray
    ephemeris: str = "DE421"

    @property
    def shape(self) -> tuple[int, int]:
        return self.c3_km2_s2.shape


def grid_memory_bytes(n_dep: int, n_arr: int) -> int:
    return int(n_dep) * int(n_arr) * _BYTES_PER_CELL


def check_grid_size(n_dep: int, n_arr: int) -> None:
    cells = int(n_dep) * int(n_arr)
    if n_dep < 2 or n_arr < 2:
        raise InputError(f"a porkchop grid needs at least 2 x 2 points; got {n_dep} x {n_arr}. Use --grid 100 or more.")
    if cells > MAX_GRID_CELLS:
        side = int(np.sqrt(MAX_GRID_CELLS))
        raise ResourceError(
            f"a {n_dep} x {n_arr} grid ({cells:,} cells) would need about {grid_memory_bytes(n_dep, n_arr) / 1e9:.1f} GB; "
            f"the limit is {MAX_GRID_CELLS:,} cells (about {grid_memory_bytes(MAX_GRID_CELLS, 1) / 1e9:.1f} GB), "
            f"e.g. {side} x {side}. Use a smaller --grid or narrower date ranges."
        )


def body_states_ecliptic(body: str, tdb_s: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ecliptic-J2000 states (m, m/s) of a body; raises EphemerisRangeError outside the kernel."""
    return default_ephemeris().state(body, tdb_s, center="sun", frame="ecliptic")


def porkchop_grid(
    origin: str, target: str, depart_tdb_s: npt.ArrayLike, arrive_tdb_s: npt.ArrayLike, mu_m3_s2: float = GM_SUN
) -> PorkchopGrid:
    """Compute a porkchop grid (zero-revolution prograde transfers) between two bodies."""
    td = np.asarray(depart_tdb_s, dtype=float)
    ta = np.asarray(arrive_tdb_s, dtype=float)
    check_grid_size(td.size, ta.size)
    eph = default_ephemeris()
    eph.check_range(td, "departure date")
    eph.check_range(ta, "arrival date")
    rd, vd = body_states_ecliptic(origin, td)
    ra, va = body_states_ecliptic(target, ta)
    pole = _unit_pole(target)
    rows = max(1, _BLOCK // ta.size)
    parts = []
    for i0 in range(0, td.size, rows):
        sl = slice(i0, i0 + rows)
        out = _grid_kernel(rd[sl], vd[sl], ra, va, td[sl], ta, float(mu_m3_s2), pole)
        parts.append({k: np.asarray(v) for k, v in out.items()})
    fields = {k: np.concatenate([p[k] for p in parts], axis=0) for k in GRID_FIELDS}
    return PorkchopGrid(origin=origin, target=target, depart_tdb_s=td, arrive_tdb_s=ta, ephemeris=eph.name, **fields)


@dataclass
class TransferPoint:
    """One transfer (departure, arrival) with its figures; angles in degrees, speeds km/s, C3 km^2/s^2."""

    depart_tdb_s: float
    arrive_tdb_s: float
    c3_km2_s2: float
    vinf_depart_km_s: float
    dla_deg: float
    rla_deg: float
    vinf_arrive_km_s: float
    dec_arrive_deg: float
    dec_arrive_body_equator_deg: float
    tof_days: float
    transfer_type: int
    status: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def transfer_point(
    origin: str, target: str, depart_tdb_s: float, arrive_tdb_s: float, mu_m3_s2: float = GM_SUN
) -> TransferPoint:
    """The figures of a single transfer (a 1 x 1 evaluation of the grid kernel)."""
    td = np.array([float(depart_tdb_s)])
    ta = np.array([float(arrive_tdb_s)])
    rd, vd = body_states_ecliptic(origin, td)
    ra, va = body_states_ecliptic(target, ta)
    out = _grid_kernel(rd, vd, ra, va, td, ta, float(mu_m3_s2), _unit_pole(target))
    vals = {k: np.asarray(v)[0, 0].item() for k, v in out.items()}
    return TransferPoint(depart_tdb_s=float(td[0]), arrive_tdb_s=float(ta[0]), **vals)


def grid_minimum(
    grid: PorkchopGrid, field_name: str = "c3_km2_s2", transfer_type: int | None = None
) -> tuple[np.intp, ...] | None:
    """Index (i, j) of the smallest finite value of ``field_name`` (optionally within one transfer type)."""
    v = np.array(getattr(grid, field_name), dtype=float)
    mask = (grid.status == 0) & np.isfinite(v)
    if transfer_type is not None:
        mask &= grid.transfer_type == transfer_type
    if not np.any(mask):
        return None
    v[~mask] = np.inf
    return np.unravel_index(int(np.argmin(v)), v.shape)


def refine_minimum(
    grid: PorkchopGrid, ij: tuple[int | np.intp, ...], field_name: str = "c3_km2_s2", mu_m3_s2: float = GM_SUN
) -> TransferPoint:
    """Refine a grid minimum to a continuous optimum (Nelder-Mead in the two epochs, kept within the grid box
    and in the same transfer type)."""
    i, j = ij
    ttype = int(grid.transfer_type[i, j])
    t0 = np.array([grid.depart_tdb_s[i], grid.arrive_tdb_s[j]]) / DAY
    lo = np.array([grid.depart_tdb_s[0], grid.arrive_tdb_s[0]]) / DAY
    hi = np.array([grid.depart_tdb_s[-1], grid.arrive_tdb_s[-1]]) / DAY
    step = np.array(
        [
            (hi[0] - lo[0]) / max(1, grid.depart_tdb_s.size - 1),
            (hi[1] - lo[1]) / max(1, grid.arrive_tdb_s.size - 1),
        ]
    )

    def cost(x: np.ndarray) -> float:
        x = np.clip(x, lo, hi)
        p = transfer_point(grid.origin, grid.target, x[0] * DAY, x[1] * DAY, mu_m3_s2)
        val = getattr(p, field_name)
        if p.status != 0 or p.transfer_type != ttype or not np.isfinite(val):
            return 1e30
        return cast(float, val)

    from scipy.optimize import minimize  # here: a slow import that most commands never need

    simplex = np.array([t0, t0 + np.array([step[0], 0.0]), t0 + np.array([0.0, step[1]])])
    res = minimize(
        cost, t0, method="Nelder-Mead", options=dict(initial_simplex=simplex, xatol=1e-7, fatol=1e-12, maxiter=2000)
    )
    x = np.clip(res.x, lo, hi) if res.fun < cost(t0) else t0
    return transfer_point(grid.origin, grid.target, x[0] * DAY, x[1] * DAY, mu_m3_s2)
