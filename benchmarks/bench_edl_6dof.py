"""6-DOF EDL Monte Carlo throughput (areo.edl.sixdof): full entry-to-touchdown Schiaparelli flights with
dispersions, batched JAX kernel (float64) on the default JAX device, and the ratio to a scipy ``solve_ivp`` loop
of the same equations of motion over a common window (20 s under the canopy from mortar fire).

Runs unchanged on CPU and GPU; prints the device, compile time, best-of-N wall time and runs/s.

    python benchmarks/bench_edl_6dof.py [--lanes N] [--model pendulum|two-body] [--repeat R] [--scipy-runs 1]
                                        [--no-full] [--sweep 64,128,...] [--mc N --workers 2,1]

Default lanes: 32,768 on an accelerator (one timed call), 64 on a CPU. ``--model`` picks the parachute model: the
reduced constrained pendulum (default: trajectory-level agreement with the two-body model, without the riser's
snatch overshoot) or the elastic two-body riser (its axial mode bounds the steps through inflation and the
snatch, after which the line is held at its rest length; the model that reproduces the IMU saturation). Steps come from :mod:`areo.edl.sixdof.stepcontrol`. Rates are printed per
wall-clock second and per process CPU second (all threads): on a shared machine compare the latter. The cost of
a step is printed per lane (CPU time over lanes times loop iterations: the loop runs until the longest flight
ends). ``--sweep`` times full flights at each lane count given (one compile each) and prints one line per count.
``--mc N`` times what a user runs, ``areo.edl.sixdof.api.run_scenario`` of the bundled ExoMars 2016 scenario with
N dispersed runs (seed 1), once per worker count in ``--workers`` (1: this process; W > 1: W single-threaded
worker processes, :mod:`areo.localpool`), start-up and compilation included, CPU time of this process and its
workers; and checks that every worker count gives the same runs bit for bit.
"""

from __future__ import annotations

import argparse
import math
import resource
import time
from pathlib import Path

import numpy as np

from areo._jax import jax, jnp
from areo.edl.sixdof import bodies as B
from areo.edl.sixdof import load_6dof, make_batch_kernel
from areo.edl.sixdof.sim import initial_state, place_canopy, prepare

DEG = math.pi / 180.0


def dispersed(p: dict, n: int, seed: int = 1) -> dict:
    """``n`` runs with one-sigma dispersions of the 3-DOF scenario's kind (entry, density, aero, winds, noise)."""
    rng = np.random.default_rng(seed)
    out = {k: np.full(n, v, dtype=float) for k, v in p.items()}
    out["entry_fpa"] += 0.2 * DEG * rng.standard_normal(n)
    out["entry_speed"] += 2.0 * rng.standard_normal(n)
    out["rho_scale"] *= 1.0 + 0.05 * rng.standard_normal(n)
    out["cd_capsule_scale"] *= 1.0 + 0.03 * rng.standard_normal(n)
    out["cd_chute_scale"] *= 1.0 + 0.05 * rng.standard_normal(n)
    out["entry_alpha"] = np.abs(3.0 * DEG * rng.standard_normal(n))
    out["wind_e"] = 5.0 * rng.standard_normal(n)
    out["wind_n"] = 5.0 * rng.standard_normal(n)
    out["noise_key"] = np.arange(n, dtype=float)
    return out


def window_params(p: dict) -> dict:
    """Start 1 s before a mortar fire at ~11 km, Mach < 2, 2 g already seen; stop 20 s later."""
    w = dict(p, entry_alt=11_000.0, entry_speed=470.0, entry_fpa=-25.0 * DEG, peak_g0=3.0, t_stop=20.0)
    return w


def timed(kern, pa):
    """(wall seconds, process CPU seconds (all threads), outputs) of one call; on a shared machine the CPU time
    is the figure to compare."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = kern(pa)
    out["status"].block_until_ready()
    return time.perf_counter() - t0, time.process_time() - c0, out


def time_kernel(kern, pa, repeat):
    """(first call incl. compile, best wall and best CPU time of ``repeat`` further calls, outputs)."""
    first, _, out = timed(kern, pa)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        wall, cpu, out = timed(kern, pa)
        best, best_cpu = min(best, wall), min(best_cpu, cpu)
    return first, best, best_cpu, {k: np.asarray(v) for k, v in out.items()}


def scipy_window(p, model, runs):
    """The same equations (:func:`bodies.deriv`, numpy, the riser held at its rest length once settled as in the
    kernel) under the canopy for 20 s with ``solve_ivp`` (RK45, rtol 1e-6), one run at a time: seconds per run."""
    from scipy.integrate import solve_ivp

    pa = prepare({k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in p.items()}, np)
    S = initial_state(pa, np)
    Y = place_canopy(tuple(S[k] for k in B.STATE), pa, np.array([True]), np)
    off = (np.array([False]),) * 3
    mode, t_deploy = np.array([B.CANOPY]), np.zeros(1)

    def f(t, y):
        Y = tuple(np.atleast_1d(x) for x in y)
        quasi = B.riser_settled(model, pa, Y[29], t, t_deploy, mode, np)  # as the kernel: held once settled
        c = B.Ctx(mode, t_deploy, np.zeros(1), off, (np.ones(1),) * 3, quasi)
        d, _ = B.deriv(model, pa, np, c, Y, t)
        return np.array([float(np.asarray(x).reshape(-1)[0]) for x in d])

    y0 = np.array([float(x[0]) for x in Y])
    t0 = time.perf_counter()
    for _ in range(runs):
        sol = solve_ivp(f, (0.0, 20.0), y0, method="RK45", rtol=1e-6, atol=1e-6)
    return (time.perf_counter() - t0) / runs, sol.nfev


def full_flights(kern, p, lanes, repeat):
    """(best wall, best CPU seconds, outputs) of ``lanes`` dispersed full flights, after one untimed call."""
    pa = {k: jnp.asarray(v) for k, v in dispersed(p, lanes).items()}
    _, best, cpu, out = time_kernel(kern, pa, max(repeat - 1, 0)) if repeat > 1 else (0, *timed(kern, pa))
    return best, cpu, {k: np.asarray(v) for k, v in out.items()}


def full_line(lanes, best, cpu, out):
    landed = 100.0 * float(np.mean(out["status"] == 1))
    per_step = cpu / (lanes * out["steps"].max()) * 1e9
    return (
        f"full flights, lanes {lanes:5,}: best {best:7.2f} s  {lanes / best:10,.1f} runs/s  ({lanes / cpu:,.1f} runs"
        f" per CPU s)  mean steps {out['steps'].mean():,.0f}  max {out['steps'].max():,.0f}  {per_step:,.0f} CPU ns"
        f" per lane-step  landed {landed:.1f} %"
    )


def cpu_with_children() -> np.ndarray:
    """CPU seconds of this process and of its finished (waited-for) child processes."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return np.array([me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime])


def monte_carlo(runs: int, workers: list[int], pendulum: bool, lanes: int | None) -> None:
    """``run_scenario`` with ``runs`` dispersed runs per worker count: wall and CPU rates, the same runs for all
    (``lanes`` replaces the kernel's lane count, :data:`areo.edl.sixdof.api.LANES`)."""
    from areo.edl.sixdof import api
    from areo.edl.sixdof.api import run_scenario

    api.LANES = lanes or api.LANES
    LANES = api.LANES

    scenario = Path(__file__).resolve().parents[1] / "src" / "areo" / "scenarios" / "exomars2016.toml"
    tables = []
    for w in workers:
        t0, c0 = time.perf_counter(), cpu_with_children()
        res = run_scenario(scenario, runs=runs, seed=1, pendulum=pendulum, workers=w)
        wall, (cpu_self, cpu_kids) = time.perf_counter() - t0, cpu_with_children() - c0
        cpu = cpu_self + cpu_kids
        tables.append(res.table)
        steps = np.asarray(res.table["steps"])
        print(
            f"Monte Carlo {runs:,} runs, {w} worker(s) x {min(runs, LANES)} lanes: {wall:6.2f} s  {runs / wall:8.1f} "
            f"runs/s (wall)  {runs / cpu:8.1f} runs per CPU s  (start-up and compilation included; CPU s here / in "
            f"workers {cpu_self:.1f} / {cpu_kids:.1f}; mean steps {steps.mean():,.0f})",
            flush=True,
        )
    same = all(
        np.array_equal(np.asarray(t[k]), np.asarray(tables[0][k]), equal_nan=np.asarray(t[k]).dtype.kind == "f")
        for t in tables[1:]
        for k in t
    )
    print(f"every worker count gives the same runs bit for bit: {same}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lanes", type=int, default=None)
    ap.add_argument("--model", choices=("pendulum", "two-body"), default="pendulum")
    ap.add_argument("--repeat", type=int, default=None, help="timed calls after the first (default 2 on CPU, 1 else)")
    ap.add_argument("--scipy-runs", type=int, default=1)
    ap.add_argument("--no-full", dest="full", action="store_false", help="only the 20 s window (no full flights)")
    ap.add_argument("--sweep", default="", help="comma-separated lane counts: full flights only, one line each")
    ap.add_argument("--mc", type=int, default=0, help="runs of a Monte Carlo through run_scenario (see --workers)")
    ap.add_argument("--workers", default="2,1", help="comma-separated worker counts for --mc")
    a = ap.parse_args()
    if a.mc:
        monte_carlo(a.mc, [int(x) for x in a.workers.split(",")], a.model == "pendulum", a.lanes)
        return
    dev = jax.devices()[0]
    if a.sweep:
        p, model = load_6dof("exomars2016", [], pendulum=a.model == "pendulum")
        kern = make_batch_kernel(model)
        for lanes in (int(x) for x in a.sweep.split(",")):
            print(full_line(lanes, *full_flights(kern, p, lanes, a.repeat or 2)), flush=True)
        return
    lanes = a.lanes or (64 if dev.platform == "cpu" else 32_768)
    a.repeat = a.repeat if a.repeat is not None else (2 if dev.platform == "cpu" else 1)
    print(f"JAX {jax.__version__} on {dev.platform}:{dev.device_kind}; float64 = {jax.config.jax_enable_x64}")
    p, model = load_6dof("exomars2016", [], pendulum=a.model == "pendulum")
    kern = make_batch_kernel(model)  # one compile: window and full flights differ only in traced parameters
    pw = {k: jnp.asarray(v) for k, v in dispersed(window_params(p), lanes).items()}
    first, best_w, cpu_w, out_w = time_kernel(kern, pw, a.repeat)
    rate_w = lanes / best_w
    print(f"compile + first call {first:6.1f} s ({a.model}, lanes {lanes:,})", flush=True)
    print(
        f"20 s canopy window: best {best_w:7.3f} s  {rate_w:12,.1f} runs/s  ({lanes / cpu_w:,.1f} runs per CPU s)"
        f"  steps {out_w['steps'].mean():,.0f}",
        flush=True,
    )
    if a.full:
        print(full_line(lanes, *full_flights(kern, p, lanes, a.repeat)), flush=True)
    if a.scipy_runs > 0:
        sec, nfev = scipy_window(window_params(p), model, a.scipy_runs)
        print(f"scipy solve_ivp RK45 loop, same window: {1.0 / sec:8.3f} runs/s ({nfev} evaluations); "
              f"kernel / scipy = {rate_w * sec:,.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
