"""areo: Mars missions and the deep-space network that flies them.

Conventions (stated once, here)
-------------------------------
Units
    SI everywhere inside: metres, seconds, kilograms, radians, m/s, m^3/s^2. Other units appear only at the
    edges and then in the name: ``c3_km2_s2``, ``tof_days``, ``altitude_km``, ``dla_deg``, ``*_utc`` strings.
Epochs
    TDB seconds past J2000 (2000-01-01 12:00:00 TDB) as float64 (``tdb_s``); where precision matters, two floats
    (whole Julian date + fraction) as in jplephem. UTC (with leap seconds, from skyfield) only at the edges.
Frames
    ICRF axes (equatorial, "EME2000") unless a name says otherwise; ``ecliptic`` means the mean ecliptic and
    equinox of J2000 (IAU 2006 obliquity). Names state the origin: ``r_sun_icrf_m`` (heliocentric),
    ``r_ssb_icrf_m`` (solar-system barycentre), Mars-centred states say ``mars``.
Orbital elements
    ``(a_m, e, i_rad, raan_rad, argp_rad, nu_rad)``, semi-major axis negative for hyperbolae.
Flight-path angle
    Angle of the velocity above the local horizontal: negative while descending (entry at about -12 deg).
Lambert
    "Prograde" means angular momentum with positive z in the frame of the inputs (porkchops use the ecliptic).
    Multi-revolution branches are named ``short-period`` (smaller semi-major axis; Izzo/pykep "left") and
    ``long-period`` (larger; "right").
Failures in batched kernels
    Per-element integer status codes (0 = OK) with NaN in the failed rows; never a silent NaN.

Public API
----------
``import areo`` is cheap (the heavy parts, JAX and scipy, load on first use of a name). The everyday names:

* launch windows: ``lambert``, ``porkchop``, ``launch_period``, ``propagate`` (two-body);
* ground segment: ``passes``, ``observables``, ``link_budget``, ``coverage``, ``stations``, ``load_target``
  (SPK kernels and CCSDS OEM files as targets), ``write_spk``;
* EDL: ``edl_simulate``, ``edl_monte_carlo``; mission: ``load_scenario``, ``replay``;
* time: ``epoch_tdb_s`` / ``epochs_tdb_s``, the one converter of every epoch form (ISO strings with an optional
  scale suffix, aware datetimes, numpy datetime64 in UTC, pandas Timestamp, astropy Time in its own scale).

Pass lists, coverage rows, link budgets and observables have ``.to_dataframe()`` (``datetime64[ns, UTC]`` time
columns), ``.figure()`` (plotly) and an HTML view in notebooks (``areo[notebook]``). Subpackages (``areo.edl``,
``areo.ground``, ``areo.ephem``, ...) load on first access too.
"""

__version__ = "0.1.0"

# public name -> (module, attribute): imported on first access (PEP 562), so `import areo` stays fast
_LAZY = {
    "LambertSolution": ("areo.transfer.lambert", "LambertSolution"),
    "LambertStatus": ("areo.transfer.lambert_status", "LambertStatus"),
    "coverage": ("areo.ground.api", "network_coverage"),
    "edl_monte_carlo": ("areo.edl.api", "monte_carlo"),
    "edl_simulate": ("areo.edl.api", "simulate_scenario"),
    "epoch_tdb_s": ("areo.time", "epoch_tdb_s"),
    "epochs_tdb_s": ("areo.time", "epochs_tdb_s"),
    "lambert": ("areo.transfer.lambert", "lambert"),
    "launch_period": ("areo.launch.period", "launch_period"),
    "link_budget": ("areo.ground.api", "link_report"),
    "load_scenario": ("areo.mission.scenario", "load_scenario"),
    "load_target": ("areo.ground.targets", "load_target"),
    "observables": ("areo.ground.api", "observables_between"),
    "passes": ("areo.ground.api", "passes"),
    "porkchop": ("areo.transfer.window", "porkchop"),
    "propagate": ("areo.kepler", "propagate"),
    "replay": ("areo.mission.replay", "replay"),
    "stations": ("areo.ground.api", "stations_table"),
    "write_spk": ("areo.io.spk", "write_spk"),
}
__all__ = sorted(["__version__", *_LAZY])


def __getattr__(name: str) -> object:
    """Import a public name (or a subpackage such as ``areo.edl``) on first access."""
    import importlib

    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'areo' has no attribute {name!r}; the public names are listed in areo.__all__")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
