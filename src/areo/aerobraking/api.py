"""Aerobraking user layer: the scenario's ``[aerobraking]`` table -> a campaign (nominal and Monte Carlo).

Units at this edge are km, N/m^2, W/m^2, days and UTC; the kernel (:mod:`areo.aerobraking.kernel`) is SI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..bodies import body
from ..errors import InputError
from . import kernel as K
from .atmosphere import load_table


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class VehicleIn(_Strict):
    name: str = "spacecraft"
    mass_kg: float = Field(..., gt=0, lt=1e5)
    drag_area_m2: float = Field(..., gt=0, lt=1e4)
    drag_coefficient: float = Field(2.2, gt=0, lt=10)
    heat_accommodation: float = Field(1.0, gt=0, le=1.0)


class CorridorIn(_Strict):
    dynamic_pressure_n_m2: tuple[float, float] | None = None
    heat_rate_w_m2: tuple[float, float] | None = None
    periapsis_altitude_km: tuple[float, float] | None = None
    max_dynamic_pressure_n_m2: float | None = Field(None, gt=0)
    max_heat_rate_w_m2: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_band(self):
        given = [k for k in ("dynamic_pressure_n_m2", "heat_rate_w_m2", "periapsis_altitude_km") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one corridor band: dynamic_pressure_n_m2, heat_rate_w_m2 or periapsis_altitude_km "
                f"= [low, high] (got {given or 'none'})"
            )
        lo, hi = getattr(self, given[0])
        if given[0] == "periapsis_altitude_km" and lo <= 0:
            raise ValueError(
                f"corridor periapsis_altitude_km [{lo}, {hi}] is below the surface; give a band above 0 km"
            )
        if not (0 < lo < hi):
            raise ValueError(f"corridor {given[0]} must be [low, high] with 0 < low < high (got [{lo}, {hi}])")
        return self

    @property
    def quantity(self) -> str:
        for k, q in (
            ("dynamic_pressure_n_m2", "dynamic_pressure"),
            ("heat_rate_w_m2", "heat_rate"),
            ("periapsis_altitude_km", "periapsis_altitude"),
        ):
            if getattr(self, k):
                return q
        raise AssertionError

    def band_si(self) -> tuple[float, float]:
        if self.periapsis_altitude_km:
            return (self.periapsis_altitude_km[0] * 1e3, self.periapsis_altitude_km[1] * 1e3)
        lo, hi = self.dynamic_pressure_n_m2 or self.heat_rate_w_m2  # type: ignore[misc]
        return (lo, hi)


class WalkInIn(_Strict):
    steps: int = Field(default=3, ge=1, le=50)
    orbits_between: int = Field(default=2, ge=1, le=100)


class WalkOutIn(_Strict):
    apoapsis_altitude_km: float = Field(default=0.0, ge=0, lt=1e6)
    band_factor: float = Field(default=1.0, gt=0, le=1.0)


class DispersionsIn(_Strict):
    density_scale: float = Field(default=1.0, gt=0, lt=100, description="nominal multiplier of the table (calibrated)")
    bias_sigma: float = Field(default=0.0, ge=0, le=1.5)
    pass_sigma: float = Field(default=0.0, ge=0, le=1.5)


class CheckpointIn(_Strict):
    utc: str
    period_min: float | None = Field(None, gt=0)
    apoapsis_altitude_km: float | None = Field(None, gt=0)
    passes: int | None = Field(None, ge=0)
    source: str


class AerobrakingIn(_Strict):
    body: str = "venus"
    atmosphere: str = "venus-vira"
    start_utc: str
    vehicle_name: str | None = None
    initial_periapsis_altitude_km: float = Field(..., lt=1e7)
    initial_apoapsis_altitude_km: float = Field(..., gt=0, lt=1e7)
    inclination_deg: float = Field(90.0, ge=0, le=180)
    target_apoapsis_altitude_km: float = Field(..., gt=0, lt=1e7)
    final_periapsis_altitude_km: float = Field(..., gt=0, lt=1e7)
    max_days: float = Field(400.0, gt=0, le=2000)
    vehicle: VehicleIn
    corridor: CorridorIn
    walk_in: WalkInIn = WalkInIn()
    walk_out: WalkOutIn = WalkOutIn()
    dispersions: DispersionsIn = DispersionsIn()
    checkpoints: list[CheckpointIn] = []

    @model_validator(mode="after")
    def _geometry(self):
        if self.initial_periapsis_altitude_km <= 0:
            raise ValueError(
                f"initial_periapsis_altitude_km = {self.initial_periapsis_altitude_km} km is below the surface; "
                "give a capture orbit with periapsis above 0 km"
            )
        if self.initial_apoapsis_altitude_km <= self.initial_periapsis_altitude_km:
            raise ValueError("initial_apoapsis_altitude_km must exceed initial_periapsis_altitude_km")
        if self.target_apoapsis_altitude_km >= self.initial_apoapsis_altitude_km:
            raise ValueError("target_apoapsis_altitude_km must be below initial_apoapsis_altitude_km")
        if self.final_periapsis_altitude_km > self.target_apoapsis_altitude_km:
            raise ValueError(
                f"final_periapsis_altitude_km = {self.final_periapsis_altitude_km:g} km is above "
                f"target_apoapsis_altitude_km = {self.target_apoapsis_altitude_km:g} km; the final orbit's periapsis "
                "must be at most its apoapsis"
            )
        if self.corridor.periapsis_altitude_km and self.corridor.periapsis_altitude_km[0] <= 0:
            raise ValueError(
                f"corridor periapsis_altitude_km {list(self.corridor.periapsis_altitude_km)} is below the surface; "
                "give a band above 0 km"
            )
        return self


def parse(doc: dict, where: str = "scenario") -> AerobrakingIn:
    """Validate a scenario's ``[aerobraking]`` table; one clear line on error."""
    if "aerobraking" not in doc:
        raise InputError(f"{where}: no [aerobraking] table; see scenarios/magellan1993.toml for the layout.")
    try:
        cfg = AerobrakingIn.model_validate(doc["aerobraking"])
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{where}: aerobraking.{loc}: {msg}" if loc else f"{where}: aerobraking: {msg}") from None
    _check_utc(cfg.start_utc, f"{where}: aerobraking.start_utc")
    for i, cp in enumerate(cfg.checkpoints):
        _check_utc(cp.utc, f"{where}: aerobraking.checkpoints[{i}].utc")
    body(cfg.body)
    load_table(cfg.atmosphere)
    return cfg


def _check_utc(utc: str, what: str) -> None:
    from ..time import parse_utc

    try:
        parse_utc(utc)
    except InputError as exc:
        raise InputError(f"{what} = {utc!r}: {exc}") from None


def load(path: str | Path) -> tuple[AerobrakingIn, dict, Path]:
    """Read a scenario file and validate its [aerobraking] table (the CLI and the replay resolve shipped
    scenario names to paths with :func:`areo.mission.scenario.resolve_scenario_path`)."""
    from ..io.tomlfile import read_toml
    from ..scenarios import locate

    path = locate(path)
    _, doc = read_toml(path)
    return parse(doc, path.name), doc, path


def plan_of(cfg: AerobrakingIn) -> K.Plan:
    """The kernel's SI plan; refuses an initial periapsis or a corridor outside the atmosphere table."""
    b = body(cfg.body)
    table = load_table(cfg.atmosphere)
    v = cfg.vehicle
    c = cfg.corridor
    if c.periapsis_altitude_km:
        lo, hi = c.periapsis_altitude_km
        if hi * 1e3 > table.top_m or lo * 1e3 < table.bottom_m:
            raise InputError(
                f"corridor periapsis_altitude_km [{lo:g}, {hi:g}] is outside the {table.name} atmosphere table "
                f"({table.bottom_m / 1e3:g}-{table.top_m / 1e3:g} km); choose a band inside it."
            )
    return K.Plan(
        gm=b.gm_m3_s2,
        radius_m=b.radius_m,
        table=table,
        beta_kg_m2=v.mass_kg / (v.drag_coefficient * v.drag_area_m2),
        accommodation=v.heat_accommodation,
        periapsis_radius_m=b.radius_m + cfg.initial_periapsis_altitude_km * 1e3,
        apoapsis_radius_m=b.radius_m + cfg.initial_apoapsis_altitude_km * 1e3,
        quantity=c.quantity,
        band=c.band_si(),
        target_apoapsis_radius_m=b.radius_m + cfg.target_apoapsis_altitude_km * 1e3,
        final_periapsis_radius_m=b.radius_m + cfg.final_periapsis_altitude_km * 1e3,
        walk_in_steps=cfg.walk_in.steps,
        walk_in_orbits=cfg.walk_in.orbits_between,
        walk_out_apoapsis_radius_m=b.radius_m + cfg.walk_out.apoapsis_altitude_km * 1e3,
        walk_out_factor=cfg.walk_out.band_factor,
        max_dynamic_pressure=c.max_dynamic_pressure_n_m2 or np.inf,
        max_heat_rate=c.max_heat_rate_w_m2 or np.inf,
        max_days=cfg.max_days,
        density_scale=cfg.dispersions.density_scale,
        mass_kg=v.mass_kg,
    )


@dataclass
class CampaignResult:
    config: AerobrakingIn
    summary: dict  # scalars of the nominal run
    passes: dict  # per-pass columns (SI)
    days: list[dict]  # day-by-day table (km, N/m^2, W/m^2, m/s)
    orbits: list[dict]  # before and after, summary.json contract

    def as_dict(self) -> dict:
        return {"summary": self.summary, "orbits": self.orbits, "days": self.days}


_KIND = {1: ("peak dynamic pressure", "N/m²"), 2: ("peak heat rate", "W/m²")}


def _raise_status(cfg: AerobrakingIn, s: dict, plan: K.Plan, rec: K.Record) -> None:
    st = int(s["status"][0])
    if st == K.BELOW_SURFACE:
        raise InputError(
            "aerobraking: the periapsis went below the surface (or the atmosphere table's bottom); "
            "raise the corridor (a lower dynamic pressure or heat-rate band, or a higher periapsis band)."
        )
    if st == K.OUT_OF_TABLE:
        n = len(rec.columns["pass_number"]) + 1
        raise InputError(
            f"aerobraking: from pass {n} the corridor {plan.quantity.replace('_', ' ')} band "
            f"{list(cfg.corridor.band_si())} needs a periapsis above the {plan.table.name} atmosphere table "
            f"(top {plan.table.top_m / 1e3:g} km): the table cannot give so low a value; raise the band."
        )
    k = int(s["first_violation_pass"][0])
    if k > 0:
        what, unit = _KIND[int(s["violation_kind"][0])]
        val, lim = float(s["violation_value"][0]), float(s["violation_limit"][0])
        day = rec.columns["t_s"][k - 1] / 86400.0
        raise InputError(
            f"aerobraking: the corridor cannot be held: pass {k} (day {day:.1f}) meets a {what} of {val:.3g} {unit}, "
            f"{val - lim:.3g} {unit} ({100 * (val / lim - 1):.0f} %) above the limit {lim:.3g} {unit}; "
            "lower the corridor band or raise the limit."
        )


def day_table(passes: dict) -> list[dict]:
    """One row per day of the campaign (end-of-day orbit, daily maxima and sums)."""
    day = np.floor(passes["t_s"] / 86400.0).astype(int)
    rows = []
    for d in np.unique(day):
        m = day == d
        i = np.flatnonzero(m)[-1]
        rows.append(
            {
                "day": int(d) + 1,
                "passes": int(m.sum()),
                "phase": K.PHASES[int(passes["phase"][i])],
                "period_h": round(float(passes["period_s"][i]) / 3600.0, 4),
                "periapsis_altitude_km": round(float(passes["periapsis_altitude_m"][i]) / 1e3, 2),
                "apoapsis_altitude_km": round(float(passes["apoapsis_altitude_m"][i]) / 1e3, 1),
                "max_dynamic_pressure_n_m2": round(float(passes["dynamic_pressure_n_m2"][m].max()), 4),
                "max_heat_rate_w_m2": round(float(passes["heat_rate_w_m2"][m].max()), 1),
                "drag_dv_m_s": round(float(passes["drag_dv_m_s"][m].sum()), 3),
                "abm_dv_m_s": round(float(passes["abm_dv_m_s"][m].sum()), 3),
            }
        )
    return rows


def orbit_row(cfg: AerobrakingIn, epoch_utc: str, hp_km: float, ha_km: float) -> dict:
    b = body(cfg.body)
    a = b.radius_m + 0.5 * (hp_km + ha_km) * 1e3
    return {
        "vehicle": cfg.vehicle.name,
        "body": b.name,
        "epoch_utc": epoch_utc,
        "periapsis_altitude_km": round(hp_km, 2),
        "apoapsis_altitude_km": round(ha_km, 2),
        "period_h": round(b.period_s(a) / 3600.0, 4),
        "inclination_deg": cfg.inclination_deg,
    }


def run_nominal(cfg: AerobrakingIn) -> CampaignResult:
    """The campaign without dispersions (density = table x density_scale); a broken corridor raises InputError."""
    from ..time import tdb_seconds_to_utc_iso, utc_to_tdb_seconds

    plan = plan_of(cfg)
    s, rec = K.fly(plan, np.ones(1), lambda k: np.ones(1), record=True)
    assert rec is not None
    _raise_status(cfg, s, plan, rec)
    passes = rec.arrays()
    t0 = float(utc_to_tdb_seconds(cfg.start_utc))
    end_utc = str(tdb_seconds_to_utc_iso(t0 + float(s["duration_s"][0])))
    summary = {
        "status": K.STATUS_NAMES[int(s["status"][0])],
        "start_utc": cfg.start_utc,
        "end_utc": end_utc,
        "duration_days": round(float(s["duration_s"][0]) / 86400.0, 2),
        "passes": int(s["passes"][0]),
        "drag_dv_m_s": round(float(s["drag_dv_m_s"][0]), 1),
        "abm_dv_m_s": round(float(s["abm_dv_m_s"][0]), 2),
        "abm_count": int(s["abm_count"][0]),
        "max_dynamic_pressure_n_m2": round(float(s["max_dynamic_pressure_n_m2"][0]), 4),
        "max_heat_rate_w_m2": round(float(s["max_heat_rate_w_m2"][0]), 1),
        "ballistic_coefficient_kg_m2": round(plan.beta_kg_m2, 3),
        "density_scale": plan.density_scale,
        "corridor": f"{plan.quantity} {list(cfg.corridor.band_si())} (SI)",
    }
    if int(s["status"][0]) == K.TIMEOUT:
        summary["note"] = f"target apoapsis not reached within max_days = {cfg.max_days:g}"
    orbits = [
        orbit_row(cfg, cfg.start_utc, cfg.initial_periapsis_altitude_km, cfg.initial_apoapsis_altitude_km),
        orbit_row(
            cfg,
            end_utc,
            float(s["final_periapsis_altitude_m"][0]) / 1e3,
            float(s["final_apoapsis_altitude_m"][0]) / 1e3,
        ),
    ]
    return CampaignResult(cfg, summary, passes, day_table(passes), orbits)


PASS_BLOCK = 256


@dataclass(frozen=True)
class MonteCarloTask:
    """Picklable ``task(start, stop)`` for :func:`areo.campaign.run_campaign`: runs seeded by index, so results do
    not depend on the chunking."""

    plan: K.Plan
    bias_sigma: float
    pass_sigma: float
    seed: int
    backend: str = "numpy"

    def __call__(self, start: int, stop: int) -> dict:
        idx = np.arange(start, stop)
        gens = [np.random.default_rng([self.seed, int(i)]) for i in idx]
        bias = np.exp(self.bias_sigma * np.array([g.standard_normal() for g in gens]) - 0.5 * self.bias_sigma**2)
        block: dict[str, np.ndarray] = {}

        def pass_factors(k: int) -> np.ndarray:
            if k % PASS_BLOCK == 0:  # each run draws its pass factors in blocks from its own generator
                z = np.stack([g.standard_normal(PASS_BLOCK) for g in gens])
                block["f"] = np.exp(self.pass_sigma * z - 0.5 * self.pass_sigma**2)
            return block["f"][:, k % PASS_BLOCK]

        s, _ = K.fly(self.plan, bias, pass_factors, backend=self.backend)
        return {k: np.asarray(v) for k, v in s.items()}


def check_montecarlo_options(runs: int, seed: int = 0, chunk: int = 100, backend: str = "numpy") -> None:
    """The Monte Carlo's counts and names, checked before any campaign is flown (one clear line each; seed and
    chunk with the limits of :mod:`areo.limits`)."""
    from ..limits import check_chunk, check_integers, check_seed

    check_integers(runs=runs, seed=seed, chunk=chunk)
    if not 1 <= runs <= 100_000:
        raise InputError(f"--runs must be between 1 and 100000 (got {runs}).")
    check_seed(seed)
    check_chunk(chunk)
    if backend not in ("numpy", "jax"):
        raise InputError(f"--backend must be numpy or jax (got {backend!r}).")


def run_montecarlo(
    cfg: AerobrakingIn,
    runs: int,
    seed: int = 0,
    *,
    out_dir=None,
    chunk: int = 100,
    scheduler=None,
    backend: str = "numpy",
):
    """``runs`` campaigns with density dispersions: in memory (batched, one array per quantity) or, with
    ``out_dir``, through the resumable chunked runner :mod:`areo.campaign` (optionally on a Dask ``scheduler``).
    ``backend`` runs the pass kernel in numpy (reference) or JAX. Returns per-run arrays and statistics."""
    check_montecarlo_options(runs, seed, chunk, backend)
    d = cfg.dispersions
    task = MonteCarloTask(plan_of(cfg), d.bias_sigma, d.pass_sigma, seed, backend)
    if out_dir is None:
        res = task(0, runs)
    else:
        from ..campaign import run_campaign

        fp = {"seed": seed, "cfg": cfg.model_dump_json(), "backend": backend}  # numpy and JAX differ in the last bits
        df = run_campaign(task, runs, chunk, out_dir, fingerprint=fp, scheduler=scheduler)
        res = {c: df[c].to_numpy() for c in df.columns if c != "run"}
    return res, statistics(res)


def statistics(res: dict) -> dict:
    ok = res["status"] == K.DONE
    days = res["duration_s"] / 86400.0

    def pct(x, q):
        return round(float(np.percentile(x, q)), 3) if x.size else None

    return {
        "runs": int(res["status"].size),
        "reached_target": int(ok.sum()),
        "corridor_violations": int((res["first_violation_pass"] > 0).sum()),
        "duration_days_p5_p50_p95": [pct(days[ok], q) for q in (5, 50, 95)],
        "abm_dv_m_s_p50_p99": [pct(res["abm_dv_m_s"][ok], q) for q in (50, 99)],
        "max_dynamic_pressure_n_m2_p99": pct(res["max_dynamic_pressure_n_m2"], 99),
        "max_heat_rate_w_m2_p99": pct(res["max_heat_rate_w_m2"], 99),
        "status_counts": {K.STATUS_NAMES[int(s)]: int((res["status"] == s).sum()) for s in np.unique(res["status"])},
    }
