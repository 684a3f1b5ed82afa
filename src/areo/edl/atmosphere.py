"""Mars atmosphere models: NASA Glenn engineering model, tabulated profiles, dispersions, CO2 speed of sound.

Contract of every model (:class:`MarsAtmosphere`): ``evaluate(altitude_m, xp)`` returns temperature (K),
pressure (Pa) and density (kg/m^3) at geometric altitudes above the reference surface, elementwise, with
``xp`` numpy or ``jax.numpy`` (the same code runs in the numpy reference and in the batched JAX kernel);
``wind(altitude_m, xp)`` returns the (east, north) wind in m/s. ``valid_range_m`` is the altitude interval
the model is documented for; the user layer refuses trajectories that leave it, the kernels clamp
(tables) or extrapolate the equations (Glenn) beyond it.

Sources
-------
* Glenn model: NASA Glenn Research Center, "Mars Atmosphere Model - Metric Units"
  (https://www.grc.nasa.gov/www/k-12/airplane/atmosmrm.html), a curve fit by J. Benson to Mars Global
  Surveyor measurements (April 1996): T = -31 - 0.000998 h [deg C] above 7000 m, T = -23.4 - 0.00222 h
  below; p = 0.699 exp(-0.00009 h) [kPa]; rho = p / (0.1921 (T + 273.1)).
* Season and local time: :func:`mars_solar_time` is the Mars24 algorithm (Allison & McEwen 2000, Planet. Space
  Sci. 48, 215, as revised on NASA GISS's "Mars24 Algorithm and Worked Examples" page). A profile set
  (:class:`ProfileSet`, ``model = "table_set"``) holds profiles on a grid of solar longitude Ls, latitude and
  local true solar time (exported, e.g., from the Mars Climate Database or Mars-GRAM by the user: no such set
  is openly installable here) and gives the profile at the scenario's conditions by multilinear interpolation
  (periodic in Ls and local time; log-linear in pressure and density). Measured profiles scattered in
  (Ls, latitude, local time), such as the built-in reconstructed entry profiles of Viking 1 and Mars Pathfinder
  (NASA PDS), are ``model = "entry_profile"``: the nearest one, not a blend (:mod:`areo.edl.atmosphere_profiles`).
* Winds: :class:`WindProfile`, an (east, north) wind vs altitude given in the scenario, applied to the
  air-relative velocity of the true trajectory (it replaces the true atmosphere's own wind columns).
* Speed of sound: ideal-gas mixture (Mars Fact Sheet composition) with the CO2 heat capacity from its
  three vibrational modes (harmonic oscillators, wavenumbers 667.4 (x2), 1388.2, 2349.2 cm^-1, Herzberg
  1945); this reproduces the JANAF/NIST ideal-gas cp of CO2 within 0.3 % from 150 to 400 K.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from ..constants import M_MOLAR_MARS_AIR, R_GAS_UNIVERSAL
from ..errors import InputError, unknown_choice
from ._fuse import keep

R_SPECIFIC_MARS = float(R_GAS_UNIVERSAL) / float(M_MOLAR_MARS_AIR)  # J/(kg K)

# Mole fractions, NASA Mars Fact Sheet (Williams 2020): CO2 95.1 %, N2 2.59 %, Ar 1.94 %, O2 0.16 %, CO 0.06 %.
X_CO2, X_DIATOMIC, X_AR = 0.951, 0.0259 + 0.0016 + 0.0006, 0.0194
_C2 = 1.438777  # second radiation constant, cm K (CODATA)
THETA_VIB_CO2_K = (667.4 * _C2, 667.4 * _C2, 1388.2 * _C2, 2349.2 * _C2)


def _einstein(theta_over_t, xp):
    x = theta_over_t
    ex = xp.exp(-x)
    return x * x * ex / (1.0 - ex) ** 2


def cp_co2_molar(temperature_k, xp=np):
    """Ideal-gas molar heat capacity of CO2, J/(mol K): translation + rotation (7/2 R) + 4 vibrational modes."""
    t = temperature_k
    bend = _einstein(THETA_VIB_CO2_K[0] / t, xp)  # doubly degenerate bending mode
    vib = 2.0 * bend + sum(_einstein(th / t, xp) for th in THETA_VIB_CO2_K[2:])
    return float(R_GAS_UNIVERSAL) * (3.5 + vib)


def gamma_mars(temperature_k, xp=np):
    """Ratio of specific heats of the Mars atmosphere mixture (CO2 with vibrational modes, N2/O2/CO, Ar)."""
    r = float(R_GAS_UNIVERSAL)
    cp = X_CO2 * cp_co2_molar(temperature_k, xp) + X_DIATOMIC * 3.5 * r + X_AR * 2.5 * r
    cp = cp / (X_CO2 + X_DIATOMIC + X_AR)
    return cp / (cp - r)


def speed_of_sound(temperature_k, xp=np):
    """Speed of sound in the Mars atmosphere, m/s: sqrt(gamma(T) R T) with R = R_univ / 43.34 g/mol."""
    return xp.sqrt(gamma_mars(temperature_k, xp) * R_SPECIFIC_MARS * temperature_k)


class MarsAtmosphere:
    """Base class: see the module docstring for the contract."""

    name: str = "abstract"
    valid_range_m: tuple[float, float] = (0.0, 0.0)

    def evaluate(self, altitude_m, xp=np):  # pragma: no cover - abstract
        raise NotImplementedError

    def wind(self, altitude_m, xp=np):
        z = altitude_m * 0.0
        return z, z

    def density(self, altitude_m, xp=np):
        return self.evaluate(altitude_m, xp)[2]

    def check_range(self, low_m: float, high_m: float, what: str = "trajectory") -> None:
        lo, hi = self.valid_range_m
        if low_m < lo - 1e-6 or high_m > hi + 1e-6:
            raise InputError(
                f"the {what} spans altitudes {low_m / 1e3:.1f} to {high_m / 1e3:.1f} km but the {self.name!r} "
                f"atmosphere is valid from {lo / 1e3:.1f} to {hi / 1e3:.1f} km; choose another model or extend the table"
            )


@dataclass(frozen=True)
class GlennMarsAtmosphere(MarsAtmosphere):
    """NASA Glenn Mars engineering model (linear temperature in two layers, exponential pressure).

    Valid range documented by areo: -10 km to 150 km (the published fit is for the lower atmosphere; above
    ~50 km it is an extrapolation of the equations, and the temperature stays above 90 K up to 150 km).
    """

    name: str = "glenn"
    valid_range_m: tuple[float, float] = (-10_000.0, 150_000.0)

    def evaluate(self, altitude_m, xp=np):
        h = altitude_m
        t_c = xp.where(h > 7000.0, -31.0 - 0.000998 * h, -23.4 - 0.00222 * h)
        p_kpa = 0.699 * xp.exp(-0.00009 * h)
        rho = p_kpa / (0.1921 * (t_c + 273.1))
        return t_c + 273.15, p_kpa * 1000.0, rho


@dataclass(frozen=True, eq=False)
class TabulatedAtmosphere(MarsAtmosphere):
    """Profile read from a CSV file: ``altitude_m, temperature_K, pressure_Pa, density_kg_m3`` and optional
    ``wind_east_m_s, wind_north_m_s``. Temperature and winds are interpolated linearly, pressure and
    density log-linearly; outside the table the kernels clamp to the end values (the user layer refuses
    such trajectories, see ``check_range``)."""

    altitude_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    temperature_k: np.ndarray = field(default_factory=lambda: np.zeros(0))
    log_pressure: np.ndarray = field(default_factory=lambda: np.zeros(0))
    log_density: np.ndarray = field(default_factory=lambda: np.zeros(0))
    wind_east_m_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    wind_north_m_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    name: str = "table"
    valid_range_m: tuple[float, float] = (0.0, 0.0)

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> TabulatedAtmosphere:
        path = Path(path)
        if not path.exists():
            raise InputError(
                f"atmosphere table {str(path)!r} does not exist; give a CSV with columns altitude_m, temperature_K, pressure_Pa, density_kg_m3"
            )
        header, data, line_no = _read_table(path)
        need = list(TABLE_COLUMNS[:4])
        missing = [c for c in need if c not in header]
        if missing:
            raise InputError(
                f"atmosphere table {path.name!r} lacks column(s) {', '.join(missing)}; expected columns {', '.join(need)} [, wind_east_m_s, wind_north_m_s]"
            )
        unknown = [c for c in header if c not in TABLE_COLUMNS]
        if unknown:  # a misspelt wind column would otherwise be dropped and the winds read as zero
            raise InputError(
                f"atmosphere table {path.name!r}: unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
                f"{', '.join(TABLE_COLUMNS)} (the last two optional): rename or drop them"
            )
        col = {h: data[:, i] for i, h in enumerate(header)}
        h = col["altitude_m"]
        if len(h) < 2:
            raise InputError(f"atmosphere table {path.name!r}: altitude_m must increase strictly (at least 2 rows)")
        bad = np.flatnonzero(np.diff(h) <= 0)
        if bad.size:
            i = int(bad[0]) + 1
            raise InputError(
                f"atmosphere table {path.name!r}, line {line_no[i]}: altitude_m = {h[i]:g} is not above the previous "
                f"row's {h[i - 1]:g}; altitude_m must increase strictly: sort the rows and drop duplicates"
            )
        for c in need[1:]:
            if np.any(col[c] <= 0):
                raise InputError(f"atmosphere table {path.name!r}: {c} must be > 0 in every row")
        return cls.from_columns(h, col, name or path.stem)

    @classmethod
    def from_columns(cls, h: np.ndarray, col: dict, name: str) -> TabulatedAtmosphere:
        """The table from checked columns (altitude ``h`` in m, increasing; the CSV's column names in ``col``)."""
        zeros = np.zeros_like(h)
        return cls(
            altitude_m=h,
            temperature_k=col["temperature_K"],
            log_pressure=np.log(col["pressure_Pa"]),
            log_density=np.log(col["density_kg_m3"]),
            wind_east_m_s=col.get("wind_east_m_s", zeros),
            wind_north_m_s=col.get("wind_north_m_s", zeros),
            name=name,
            valid_range_m=(float(h.min()), float(h.max())),
        )

    def evaluate(self, altitude_m, xp=np):
        hp = xp.asarray(self.altitude_m)
        t = xp.interp(altitude_m, hp, xp.asarray(self.temperature_k))
        p = xp.exp(xp.interp(altitude_m, hp, xp.asarray(self.log_pressure)))
        rho = xp.exp(xp.interp(altitude_m, hp, xp.asarray(self.log_density)))
        return t, p, rho

    def wind(self, altitude_m, xp=np):
        hp = xp.asarray(self.altitude_m)
        return (
            xp.interp(altitude_m, hp, xp.asarray(self.wind_east_m_s)),
            xp.interp(altitude_m, hp, xp.asarray(self.wind_north_m_s)),
        )


_MAX_TABLE_BYTES = 50_000_000


def _read_table(path: Path) -> tuple[list[str], np.ndarray, list[int]]:
    """Header, finite numbers and file line numbers of a CSV atmosphere table's rows; InputError naming the row
    for anything else."""
    from ..io.pathkind import refuse_special

    name = path.name
    refuse_special(path, f"atmosphere table {str(path)!r}", "give a CSV file")
    try:
        if path.stat().st_size > _MAX_TABLE_BYTES:
            raise InputError(f"atmosphere table {name!r} is larger than {_MAX_TABLE_BYTES // 1_000_000} MB")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"atmosphere table {name!r} is not UTF-8 text; save it as a UTF-8 CSV file") from None
    except OSError as exc:
        raise InputError(f"cannot read atmosphere table {str(path)!r}: {exc.strerror or exc}") from None
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise InputError(f"atmosphere table {name!r} is empty; it needs a header row and at least 2 rows of numbers")
    header = [h.strip() for h in next(csv.reader([lines[0][1]]))]
    twice = next((h for i, h in enumerate(header) if h in header[:i]), None)
    if twice is not None:
        raise InputError(
            f"atmosphere table {name!r}, line {lines[0][0]}: column {twice!r} is given twice; keep one of them"
        )
    rows = []
    numbers = [n for n, _ in lines[1:]]
    for n, line in lines[1:]:
        cells = next(csv.reader([line]))
        if len(cells) != len(header):
            raise InputError(f"atmosphere table {name!r}, line {n}: {len(cells)} values for {len(header)} columns")
        try:
            row = [float(x) for x in cells]
        except ValueError:
            raise InputError(f"atmosphere table {name!r}, line {n}: not all numbers: {line.strip()[:80]!r}") from None
        if not all(math.isfinite(x) for x in row):
            raise InputError(
                f"atmosphere table {name!r}, line {n}: NaN or infinity in {line.strip()[:80]!r}; give finite numbers"
            )
        rows.append(row)
    if not rows:
        raise InputError(f"atmosphere table {name!r} has a header but no rows of numbers; add at least 2 rows")
    data = np.array(rows, dtype=float).reshape(len(rows), len(header))
    _check_coordinates(name, header, data, numbers)
    return header, data, numbers


# the coordinates of a profile set's profiles and the values of any table: (lowest, highest) a row may give.
# The state columns (> 0, checked with their own message) are capped far above any planetary atmosphere an
# entry flies through (Venus' surface: 737 K, 9.2 MPa, 65 kg/m^3); winds as [edl.atmosphere] wind_*_m_s
COORDINATE_RANGES = {
    "solar_longitude_deg": (0.0, 360.0),
    "latitude_deg": (-90.0, 90.0),
    "local_time_h": (0.0, 24.0),
    "temperature_K": (-math.inf, 1000.0),
    "pressure_Pa": (-math.inf, 1e7),
    "density_kg_m3": (-math.inf, 100.0),
    "wind_east_m_s": (-300.0, 300.0),
    "wind_north_m_s": (-300.0, 300.0),
}
# the columns of a single profile (model 'table'): the required ones, then the optional winds
TABLE_COLUMNS = ("altitude_m", "temperature_K", "pressure_Pa", "density_kg_m3", "wind_east_m_s", "wind_north_m_s")


def _check_coordinates(name: str, header: list[str], data: np.ndarray, numbers: list[int]) -> None:
    """InputError naming the line of the first Ls, latitude, local time, state or wind value outside its range."""
    for col, (lo, hi) in COORDINATE_RANGES.items():
        if col in header:
            x = data[:, header.index(col)]
            bad = np.flatnonzero((x < lo) | (x > hi))
            if bad.size:
                i = int(bad[0])
                allowed = f"at most {hi:g}" if lo == -math.inf else f"{lo:g} to {hi:g}"
                raise InputError(
                    f"atmosphere table {name!r}, line {numbers[i]}: {col} = {x[i]:g} lies outside the allowed "
                    f"{allowed}; give a value in that range"
                )


# Altitude-correlated density perturbation: sum of sinusoids of these wavelengths (m) with per-run
# amplitudes and phases (a Mars-GRAM-like "perturbation" with vertical correlation lengths of ~8-40 km).
PERTURBATION_WAVELENGTHS_M = (8_000.0, 20_000.0, 40_000.0)


def density_factor(altitude_m, scale, amplitudes, phases, xp=np):
    """Multiplicative density dispersion: scale * (1 + sum_k a_k sin(2 pi h / lambda_k + phi_k))."""
    f = 1.0
    for k, lam in enumerate(PERTURBATION_WAVELENGTHS_M):
        f = f + amplitudes[k] * xp.sin(2.0 * math.pi * altitude_m / lam + phases[k])
    return keep(xp, scale * f)


@dataclass(frozen=True)
class ExponentialAtmosphere(MarsAtmosphere):
    """Isothermal exponential atmosphere rho = rho0 exp(-h / H), T constant, p = rho R T: the model of the
    classical analytic entry solutions (Allen & Eggers 1958), used to check the kernels against them."""

    surface_density_kg_m3: float = 0.02
    scale_height_m: float = 11_100.0
    temperature_k: float = 210.0
    name: str = "exponential"
    valid_range_m: tuple[float, float] = (-10_000.0, 200_000.0)

    def evaluate(self, altitude_m, xp=np):
        rho = self.surface_density_kg_m3 * xp.exp(-altitude_m / self.scale_height_m)
        t = self.temperature_k + 0.0 * altitude_m
        return t, rho * R_SPECIFIC_MARS * t, rho


@dataclass(frozen=True)
class WindProfile:
    """(east, north) wind (m/s) vs altitude (m), linear between the points, held beyond the ends."""

    altitude_m: tuple[float, ...]
    east_m_s: tuple[float, ...]
    north_m_s: tuple[float, ...]

    def wind(self, altitude_m, xp=np):
        from .aero import piecewise_linear  # gather-free, as the accelerator kernels need

        return (
            piecewise_linear(altitude_m, list(self.altitude_m), list(self.east_m_s), xp),
            piecewise_linear(altitude_m, list(self.altitude_m), list(self.north_m_s), xp),
        )


def mars_solar_time(jd_tt: float, east_longitude_deg: float) -> tuple[float, float]:
    """Areocentric solar longitude Ls (deg, 0-360) and local true solar time (Mars hours, 0-24) at a Terrestrial
    Time Julian date and an east longitude: the Mars24 algorithm (Allison & McEwen 2000, eqs. B-1 to C-3 as
    revised by NASA GISS)."""
    dt = jd_tt - 2451545.0
    deg = math.pi / 180.0
    mean_anomaly = (19.3871 + 0.52402073 * dt) * deg
    alpha_fms = 270.3871 + 0.524038496 * dt
    perturbers = (
        (0.0071, 2.2353, 49.409),
        (0.0057, 2.7543, 168.173),
        (0.0039, 1.1177, 191.837),
        (0.0037, 15.7866, 21.736),
        (0.0021, 2.1354, 15.704),
        (0.0020, 2.4694, 95.528),
        (0.0018, 32.8493, 49.095),
    )
    pbs = sum(a * math.cos((0.985626 * dt / tau + phi) * deg) for a, tau, phi in perturbers)
    centre = (10.691 + 3.0e-7 * dt) * math.sin(mean_anomaly) + sum(
        c * math.sin(k * mean_anomaly) for k, c in ((2, 0.623), (3, 0.050), (4, 0.005), (5, 0.0005))
    )
    ls = alpha_fms + centre + pbs
    lsr = ls * deg
    eot_deg = 2.861 * math.sin(2 * lsr) - 0.071 * math.sin(4 * lsr) + 0.002 * math.sin(6 * lsr) - (centre + pbs)
    mst = (24.0 * ((dt - 4.5) / 1.0274912517 + 44796.0 - 0.0009626)) % 24.0
    return ls % 360.0, (mst + east_longitude_deg / 15.0 + eot_deg / 15.0) % 24.0


PROFILE_KEYS = ("solar_longitude_deg", "latitude_deg", "local_time_h")


def _bracket(nodes: np.ndarray, x: float, period: float | None) -> list[tuple[int, float]]:
    """Indices and weights of the nodes bracketing ``x`` (linear; periodic when ``period`` is given, else
    clamped to the ends)."""
    if len(nodes) == 1:
        return [(0, 1.0)]
    if period is not None:
        x = x % period
        ext = np.concatenate([nodes, [nodes[0] + period]])
        if x < nodes[0]:
            x += period
        j = min(int(np.searchsorted(ext, x, side="right")) - 1, len(nodes) - 1)
        w = (x - ext[j]) / (ext[j + 1] - ext[j])
        return [(j, 1.0 - w), ((j + 1) % len(nodes), w)]
    x = min(max(x, nodes[0]), nodes[-1])
    j = min(int(np.searchsorted(nodes, x, side="right")) - 1, len(nodes) - 2)
    w = (x - nodes[j]) / (nodes[j + 1] - nodes[j])
    return [(j, 1.0 - w), (j + 1, w)]


@dataclass(frozen=True, eq=False)
class ProfileSet:
    """Profiles on a full grid of (solar longitude, latitude, local true solar time), every profile on the same
    altitudes: CSV columns ``solar_longitude_deg, latitude_deg, local_time_h`` then those of a
    :class:`TabulatedAtmosphere`. :meth:`at` gives the profile at given conditions."""

    axes: tuple[np.ndarray, np.ndarray, np.ndarray]
    table: TabulatedAtmosphere  # columns stacked: (Ls, lat, LT, altitude) flattened in that order
    name: str

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> ProfileSet:
        path = Path(path)
        if not path.exists():
            raise InputError(
                f"atmosphere profile set {str(path)!r} does not exist; give a CSV with columns "
                f"{', '.join(PROFILE_KEYS)}, altitude_m, temperature_K, pressure_Pa, density_kg_m3"
            )
        header, data, line_no = _read_table(path)
        missing = [
            c for c in (*PROFILE_KEYS, "altitude_m", "temperature_K", "pressure_Pa", "density_kg_m3") if c not in header
        ]
        if missing:
            raise InputError(f"atmosphere profile set {path.name!r} lacks column(s) {', '.join(missing)}")
        col = {h: data[:, i] for i, h in enumerate(header)}
        axes = tuple(np.unique(col[k]) for k in PROFILE_KEYS)
        n_alt = len(data) // max(1, math.prod(len(a) for a in axes))
        order = np.lexsort((np.arange(len(data)), col["local_time_h"], col["latitude_deg"], col["solar_longitude_deg"]))
        combos = len(np.unique(np.stack([col[k] for k in PROFILE_KEYS], axis=1), axis=0))
        if combos != math.prod(len(a) for a in axes) or n_alt * combos != len(data):
            raise InputError(
                f"atmosphere profile set {path.name!r}: {len(data)} rows do not fill the grid of "
                f"{' x '.join(str(len(a)) for a in axes)} (Ls, latitude, local time) profiles of equal length; "
                "give every combination once, each on the same altitudes"
            )
        h = col["altitude_m"][order].reshape(-1, n_alt)
        if np.any(h != h[0]):
            raise InputError(f"atmosphere profile set {path.name!r}: every profile must use the same altitude_m values")
        merged = {k: col[k][order] for k in col}
        stacked = _validated_columns(merged, path.name, [line_no[i] for i in order], n_alt)
        return cls(axes=(axes[0], axes[1], axes[2]), table=stacked, name=name or path.stem)

    def at(self, solar_longitude_deg: float, latitude_deg: float, local_time_h: float) -> TabulatedAtmosphere:
        """The profile at these conditions (multilinear; periodic in Ls and local time, latitude clamped)."""
        ls_ax, lat_ax, lt_ax = self.axes
        n_alt = len(self.table.altitude_m) // (len(ls_ax) * len(lat_ax) * len(lt_ax))
        acc = {
            k: np.zeros(n_alt)
            for k in ("temperature_k", "log_pressure", "log_density", "wind_east_m_s", "wind_north_m_s")
        }
        for i, wi in _bracket(ls_ax, solar_longitude_deg, 360.0):
            for j, wj in _bracket(lat_ax, latitude_deg, None):
                for k, wk in _bracket(lt_ax, local_time_h, 24.0):
                    start = ((i * len(lat_ax) + j) * len(lt_ax) + k) * n_alt
                    for key in acc:
                        acc[key] = acc[key] + wi * wj * wk * np.asarray(getattr(self.table, key))[start : start + n_alt]
        h = np.asarray(self.table.altitude_m)[:n_alt]
        label = f"{self.name} Ls={solar_longitude_deg:.1f} lat={latitude_deg:.1f} LT={local_time_h:.2f}h"
        return TabulatedAtmosphere(altitude_m=h, name=label, valid_range_m=(float(h[0]), float(h[-1])), **acc)


def _validated_columns(col: dict, name: str, line_no: list[int], n_alt: int) -> TabulatedAtmosphere:
    """The stacked columns of a profile set as one (unsorted) TabulatedAtmosphere record, each profile checked."""
    h = col["altitude_m"]
    for start in range(0, len(h), n_alt):
        seg = h[start : start + n_alt]
        bad = np.flatnonzero(np.diff(seg) <= 0)
        if bad.size or n_alt < 2:
            i = start + (int(bad[0]) + 1 if bad.size else 0)
            raise InputError(
                f"atmosphere profile set {name!r}, line {line_no[i]}: altitude_m = {h[i]:g} does not increase within "
                "its profile; every profile needs at least 2 rows with strictly increasing altitude_m"
            )
    for c in ("temperature_K", "pressure_Pa", "density_kg_m3"):
        if np.any(col[c] <= 0):
            i = int(np.flatnonzero(col[c] <= 0)[0])
            raise InputError(f"atmosphere profile set {name!r}, line {line_no[i]}: {c} must be > 0")
    return TabulatedAtmosphere.from_columns(h, col, name)


BUILTIN_TABLES = {"mars_glenn_table": "mars_glenn_table.csv"}
BUILTIN_PROFILE_SETS = {"mars_lander_entry_profiles": "mars_lander_entry_profiles.csv"}
MODELS = ("glenn", "table", "table_set", "entry_profile")


def builtin_table_path(name: str) -> Path:
    return Path(str(resources.files("areo.edl") / "data" / {**BUILTIN_TABLES, **BUILTIN_PROFILE_SETS}[name]))


def make_atmosphere(
    model: str,
    table: str | None = None,
    base_dir: Path | None = None,
    conditions: tuple[float, float, float] | None = None,
    ground_elevation_m: float = 0.0,
) -> MarsAtmosphere:
    """Build an atmosphere by name: ``"glenn"``, ``"table"`` (with ``table`` a CSV path, relative to
    ``base_dir``, or the name of a built-in table), ``"table_set"`` (``table`` a profile-set CSV, evaluated
    at ``conditions`` = (solar longitude deg, latitude deg, local true solar time h)) or ``"entry_profile"``
    (``table`` a scattered set of measured profiles, by default the built-in ``mars_lander_entry_profiles``:
    the one nearest to ``conditions``, placed on ``ground_elevation_m``; areo.edl.atmosphere_profiles)."""
    if model == "glenn":
        return GlennMarsAtmosphere()
    if model == "entry_profile":
        return _entry_profile(table, base_dir, conditions, ground_elevation_m)
    if model == "table_set":
        if not table or conditions is None:
            raise InputError(
                "atmosphere model 'table_set' needs a table (CSV with columns solar_longitude_deg, latitude_deg, "
                "local_time_h, altitude_m, ...) and the season and local time: give [edl.entry] epoch_utc or "
                "[edl.atmosphere] solar_longitude_deg and local_time_h"
            )
        p = Path(table)
        if not p.is_absolute() and base_dir is not None:
            p = base_dir / p
        return ProfileSet.from_csv(p).at(*conditions)
    if model == "table":
        if not table:
            raise InputError(
                "atmosphere model 'table' needs [edl.atmosphere] table = \"file.csv\" (columns altitude_m, temperature_K, pressure_Pa, density_kg_m3)"
            )
        if table in BUILTIN_TABLES:
            return TabulatedAtmosphere.from_csv(builtin_table_path(table), name=table)
        p = Path(table)
        if not p.is_absolute() and base_dir is not None:
            p = base_dir / p
        return TabulatedAtmosphere.from_csv(p)
    raise unknown_choice("atmosphere model", model, MODELS, "Set [edl.atmosphere] model.")


def _entry_profile(
    table: str | None,
    base_dir: Path | None,
    conditions: tuple[float, float, float] | None,
    ground_elevation_m: float,
) -> MarsAtmosphere:
    from .atmosphere_profiles import ScatteredProfileSet

    if conditions is None:
        raise InputError(
            "atmosphere model 'entry_profile' needs the season and local time: give [edl.entry] epoch_utc or "
            "[edl.atmosphere] solar_longitude_deg and local_time_h"
        )
    name = table or "mars_lander_entry_profiles"
    if name in BUILTIN_PROFILE_SETS:
        path = builtin_table_path(name)
    else:
        path = Path(name)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
    ls, lat, lt = conditions
    profiles = ScatteredProfileSet.from_csv(path, name=name if name in BUILTIN_PROFILE_SETS else None)
    return profiles.at(ls, lat, lt, ground_elevation_m=ground_elevation_m)
