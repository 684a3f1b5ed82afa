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
        header, data = _read_table(path)
        need = ["altitude_m", "temperature_K", "pressure_Pa", "density_kg_m3"]
        missing = [c for c in need if c not in header]
        if missing:
            raise InputError(
                f"atmosphere table {path.name!r} lacks column(s) {', '.join(missing)}; expected columns {', '.join(need)} [, wind_east_m_s, wind_north_m_s]"
            )
        col = {h: data[:, i] for i, h in enumerate(header)}
        h = col["altitude_m"]
        if len(h) < 2 or np.any(np.diff(h) <= 0):
            raise InputError(f"atmosphere table {path.name!r}: altitude_m must increase strictly (at least 2 rows)")
        for c in need[1:]:
            if np.any(col[c] <= 0):
                raise InputError(f"atmosphere table {path.name!r}: {c} must be > 0 in every row")
        zeros = np.zeros_like(h)
        return cls(
            altitude_m=h,
            temperature_k=col["temperature_K"],
            log_pressure=np.log(col["pressure_Pa"]),
            log_density=np.log(col["density_kg_m3"]),
            wind_east_m_s=col.get("wind_east_m_s", zeros),
            wind_north_m_s=col.get("wind_north_m_s", zeros),
            name=name or path.stem,
            valid_range_m=(float(h[0]), float(h[-1])),
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


def _read_table(path: Path) -> tuple[list[str], np.ndarray]:
    """Header and finite numbers of a CSV atmosphere table; InputError naming the row for anything else."""
    name = path.name
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
    rows = []
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
    return header, np.array(rows, dtype=float).reshape(len(rows), len(header))


# Altitude-correlated density perturbation: sum of sinusoids of these wavelengths (m) with per-run
# amplitudes and phases (a Mars-GRAM-like "perturbation" with vertical correlation lengths of ~8-40 km).
PERTURBATION_WAVELENGTHS_M = (8_000.0, 20_000.0, 40_000.0)


def density_factor(altitude_m, scale, amplitudes, phases, xp=np):
    """Multiplicative density dispersion: scale * (1 + sum_k a_k sin(2 pi h / lambda_k + phi_k))."""
    f = 1.0
    for k, lam in enumerate(PERTURBATION_WAVELENGTHS_M):
        f = f + amplitudes[k] * xp.sin(2.0 * math.pi * altitude_m / lam + phases[k])
    return keep(xp, scale * f)


BUILTIN_TABLES = {"mars_glenn_table": "mars_glenn_table.csv"}
MODELS = ("glenn", "table")


def builtin_table_path(name: str) -> Path:
    return Path(str(resources.files("areo.edl") / "data" / BUILTIN_TABLES[name]))


def make_atmosphere(model: str, table: str | None = None, base_dir: Path | None = None) -> MarsAtmosphere:
    """Build an atmosphere by name: ``"glenn"`` or ``"table"`` (with ``table`` a CSV path, relative to
    ``base_dir``, or the name of a built-in table)."""
    if model == "glenn":
        return GlennMarsAtmosphere()
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
