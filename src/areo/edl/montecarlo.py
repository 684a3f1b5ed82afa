"""Monte Carlo: seeded dispersions (run ``i`` of seed ``s`` always draws the same numbers, whatever the
chunking), batched runs, statistics (success rate with a Wilson interval, 99 % landing ellipse).

Dispersion draws are keyed by name: the standard normal of dispersion ``name`` in run ``i`` of seed ``s`` is
``jax.random.normal(fold_in(fold_in(key(s), i), name_id(name)))``, with ``name_id`` the first 32 bits of the
name's SHA-256 (stable across processes and platforms, unlike Python's ``hash()``). It depends only on
(seed, run index, dispersion name): adding, removing or reordering dispersions leaves the draws of the others
unchanged. The same per-run parameters feed the JAX kernel and the numpy reference. ``DRAW_SCHEME`` names this
rule; results seeded under another scheme are not comparable run by run.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._jax import compile_cached, jax, jnp
from . import dynamics as dyn
from .schema import DISPERSIONS, KERNEL_DEFAULTS
from .simulate import Model, make_batch_kernel, with_lift_if_needed

# name in [edl.dispersions] -> (parameter, kind, factor to SI): "add" adds sigma*z*factor, "rel" multiplies by
# (1 + sigma*z); declared with the dispersion keys in areo.edl.schema
DISPERSION_MAP = DISPERSIONS
DENSITY_PERTURBATION = "density_perturbation"  # three amplitudes (normal) and phases (uniform) per run
DRAW_SCHEME = "areo.edl.draws-by-name/1"


def name_id(name: str) -> int:
    """Stable 32-bit id of a dispersion name: the first four bytes of its SHA-256 (little-endian)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "little")


def _draw_keys(key, idx, nid):
    """PRNG keys of one dispersion (name id ``nid``) for the runs ``idx``: fold_in(fold_in(key(seed), run), nid)."""
    return jax.vmap(lambda i: jax.random.fold_in(jax.random.fold_in(key, i), nid))(idx)


def _draw_all(seed, start, nids, n: int):
    """Every draw of runs ``start .. start+n-1`` in one compiled call (:func:`_draws` caches it): standard
    normals of the dispersions ``nids`` (shape (names, runs)), then the density perturbation's amplitudes and
    phases (shape (runs, 3) each). The same random operations as drawing op by op, bit for bit."""
    key = jax.random.PRNGKey(seed)
    idx = start + jnp.arange(n, dtype=jnp.int64)
    normal = jax.vmap(lambda k: jax.random.normal(k, ()))
    z = jax.vmap(lambda nid: normal(_draw_keys(key, idx, nid)))(nids)

    def perturbation(k):
        k1, k2 = jax.random.split(k)
        return jax.random.normal(k1, (3,)), jax.random.uniform(k2, (3,), minval=0.0, maxval=2.0 * math.pi)

    z3, u3 = jax.vmap(perturbation)(_draw_keys(key, idx, jnp.uint32(name_id(DENSITY_PERTURBATION))))
    return z, z3, u3


_DRAWERS: dict[tuple[int, int], Any] = {}


def _draws(seed: int, start: int, stop: int, names: list[str]):
    nids = np.array([name_id(name) for name in names], dtype=np.uint32)
    args = (np.int64(seed), np.int64(start), nids)
    n = stop - start
    draw = _DRAWERS.get((n, nids.size))
    if draw is None:
        fn = jax.jit(functools.partial(_draw_all, n=n))
        draw = _DRAWERS[n, nids.size] = compile_cached(fn, args, f"areo.edl.draws/1 n={n}".encode())
    z, z3, u3 = draw(*args)
    return np.asarray(z).T.reshape(stop - start, len(names)), np.asarray(z3), np.asarray(u3)


def draw_normals(seed: int, start: int, stop: int, names: list[str]) -> np.ndarray:
    """Standard normal draws, shape (runs, names), of the named dispersions for runs ``start .. stop-1``."""
    return _draws(seed, start, stop, names)[0]


def _draw_perturbation(seed: int, start: int, stop: int):
    return _draws(seed, start, stop, [])[1:]


def sample_params(nominal: dict, sigmas: dict, seed: int, start: int, stop: int) -> dict[str, np.ndarray]:
    """Per-run parameter arrays for runs ``start .. stop-1`` (dict name -> (n,) float64)."""
    n = stop - start
    p = {k: np.full(n, float(v)) for k, v in nominal.items()}
    active = [name for name, (_, _, unit) in DISPERSION_MAP.items() if float(sigmas.get(name, 0.0)) * unit != 0.0]
    z, z3, u3 = _draws(seed, start, stop, active)
    for j, name in enumerate(active):
        param, kind, unit = DISPERSION_MAP[name]
        s = float(sigmas[name]) * unit
        base = p.setdefault(param, np.full(n, KERNEL_DEFAULTS.get(param, 0.0)))
        p[param] = base + s * z[:, j] if kind == "add" else base * (1.0 + s * z[:, j])
    # sensor-noise key of each run: a 32-bit hash input that depends only on (seed, run index)
    p["noise_key"] = (
        (
            np.arange(start, stop, dtype=np.uint64) * np.uint64(0x9E3779B1)
            + np.uint64((seed * 0x85EBCA77 + 1) % (1 << 64))
        )
        % np.uint64(1 << 32)
    ).astype(np.float64)
    a = float(sigmas.get(DENSITY_PERTURBATION, 0.0))
    for k in range(3):
        p[f"pert_a{k}"] = a * z3[:, k]
        p[f"pert_p{k}"] = u3[:, k]
    return p


_KERNELS: dict[tuple, object] = {}
BLOCK = 448  # runs in flight per kernel call (lanes): the state (~200 arrays) stays in a 2-core CPU's cache;
# not 512 (or 256, 768): lane arrays of a multiple of 2 KiB (float64) alias in the L1 cache (4K aliasing), and the
# kernel ran ~35 % slower with them (bench_edl.py, 2-core x86: 512 lanes 6,900 runs/s, 448 lanes 10,400)
CHUNK_BLOCKS = 8  # runs per kernel call, in lanes: finished runs' lanes are refilled from the call's runs


def _model_key(model: Model):
    def atm_key(a):
        arrays = tuple(
            np.asarray(getattr(a, f)).tobytes()
            for f in ("altitude_m", "temperature_k", "log_pressure", "log_density", "wind_east_m_s", "wind_north_m_s")
            if hasattr(a, f)
        )
        return (type(a).__name__, a.name, arrays)

    static = (model.capsule, model.bank, model.wind)  # frozen dataclasses of tuples: compared by value
    return (
        atm_key(model.atmosphere),
        atm_key(model.nav_atmosphere),
        model.has_wind,
        model.has_lift,
        model.sequence,
        static,
    )


def _kernel(model: Model, lanes: int):
    """One compiled kernel per distinct model (by value) and lane count, reused across calls."""
    key = (_model_key(model), lanes)
    kern = _KERNELS.get(key)
    if kern is None:
        kern = _KERNELS[key] = make_batch_kernel(model, lanes=lanes)
    return kern


_COMPILED: dict[tuple, Any] = {}


def _compiled_kernel(model: Model, lanes: int, args: tuple):
    """The kernel compiled for the shapes of ``args``, traced once per process (at most) and, through the cache
    folder, not again in later processes (:func:`areo._jax.compile_cached`, keyed by the pickled model)."""
    shapes = tuple(sorted((k, v.shape) for k, v in args[0].items()))
    key = (_model_key(model), lanes, shapes)
    comp = _COMPILED.get(key)
    if comp is None:
        try:
            ident = pickle.dumps((model, lanes), protocol=4)
        except Exception:  # a model that cannot be pickled is compiled in-process only
            comp = _kernel(model, lanes).lower(*args).compile()
        else:
            comp = compile_cached(_kernel(model, lanes), args, b"areo.edl.run_batch/1" + ident)
        _COMPILED[key] = comp
    return comp


def run_batch(
    params: dict[str, np.ndarray], model: Model, block: int = BLOCK, threads: int | None = None
) -> dict[str, np.ndarray]:
    """Run the JAX kernel on per-run parameter arrays: the runs are split into chunks (a multiple of
    ``threads``, default one per CPU core; XLA releases the GIL, and on CPU two kernels in parallel beat one
    large one), each run by one kernel call with ``block`` lanes (fewer, a power of two, for small chunks)
    that are refilled with the chunk's next runs as runs finish. Returns numpy arrays (SI, angles in rad)."""
    n = len(next(iter(params.values())))
    cols = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    model = with_lift_if_needed(model, cols.get("lift_to_drag", 0.0))
    parallel = jax.default_backend() == "cpu"
    threads = max(1, threads or (os.cpu_count() or 1)) if parallel else 1
    cap = block * CHUNK_BLOCKS
    m = max(1, min(-(-n // cap), max(n // block, 1)))
    if parallel and n > block:
        m = -(-max(m, threads) // threads) * threads
    size = max(1, -(-n // m))
    lanes = min(block, 1 << max(size - 1, 0).bit_length())  # powers of two: few compiled shapes
    cap = max(lanes * CHUNK_BLOCKS, size) if size > lanes else lanes
    ranges = [(a, min(a + size, n)) for a in range(0, n, size)]

    def args(r):
        a, b = r
        idx = np.minimum(np.arange(a, a + cap), b - 1)
        return {k: jnp.asarray(v[idx]) for k, v in cols.items()}, np.int32(b - a)

    kern = _compiled_kernel(model, lanes, args(ranges[0]))  # here, once: not traced by each thread

    def one(r):
        out = kern(*args(r))
        return {k: np.asarray(v)[: r[1] - r[0]] for k, v in out.items()}

    threads = min(threads, len(ranges))
    if threads > 1:
        with ThreadPoolExecutor(threads) as ex:
            parts = list(ex.map(one, ranges))
    else:
        parts = [one(r) for r in ranges]
    return {k: np.concatenate([q[k] for q in parts]) for k in parts[0]}


@dataclass(frozen=True)
class Summary:
    runs: int
    landed: int
    success_rate: float
    ci_low: float
    ci_high: float
    ellipse_major_km: float
    ellipse_minor_km: float
    ellipse_azimuth_deg: float
    centre_lat_deg: float
    centre_lon_deg: float
    status_counts: dict


def wilson_interval(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % by default)."""
    if n == 0:
        return 0.0, 1.0
    ph = k / n
    den = 1.0 + z * z / n
    c = (ph + z * z / (2 * n)) / den
    h = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / den
    return max(0.0, c - h), min(1.0, c + h)


CHI2_2DOF_99 = -2.0 * math.log(0.01)  # 9.2103: 99 % quantile of chi-square with 2 degrees of freedom


def landing_ellipse(lat_rad: np.ndarray, lon_rad: np.ndarray, prob: float = 0.99):
    """Landing ellipse containing ``prob`` of a bivariate normal fitted to the points: (centre lat, lon in
    deg, full major and minor axes in km, azimuth of the major axis in deg from north)."""
    ok = np.isfinite(lat_rad) & np.isfinite(lon_rad)
    lat, lon = lat_rad[ok], lon_rad[ok]
    if lat.size < 3:
        return (math.nan,) * 5
    la0, lo0 = float(np.mean(lat)), float(np.mean(lon))
    r = dyn.ellipsoid_radius(math.sin(la0))
    north = (lat - la0) * r
    east = (lon - lo0) * r * math.cos(la0)
    cov = np.cov(np.vstack([east, north]))
    w, vec = np.linalg.eigh(cov)
    k = -2.0 * math.log(1.0 - prob)
    major, minor = 2.0 * math.sqrt(k * max(w[1], 0.0)) / 1e3, 2.0 * math.sqrt(k * max(w[0], 0.0)) / 1e3
    az = math.degrees(math.atan2(vec[0, 1], vec[1, 1])) % 180.0
    return math.degrees(la0), math.degrees(lo0), major, minor, az


def summarize(results: dict[str, np.ndarray]) -> Summary:
    from .simulate import LANDED, STATUS

    st = np.asarray(results["status"]).astype(int)
    n = int(st.size)
    k = int(np.sum(st == LANDED))
    lo, hi = wilson_interval(k, n)
    la, lo_, maj, mi, az = landing_ellipse(np.asarray(results["landing_lat"]), np.asarray(results["landing_lon"]))
    counts = {STATUS[c]: int(np.sum(st == c)) for c in sorted(set(st.tolist()))}
    return Summary(n, k, k / n if n else math.nan, lo, hi, maj, mi, az, la, lo_, counts)
