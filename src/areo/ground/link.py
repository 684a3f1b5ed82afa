"""Downlink budget: EIRP, free-space loss, atmosphere and pointing by elevation, G/T -> C/N0 -> Eb/N0 -> margin.

    C/N0 [dB-Hz] = EIRP - L_fs - L_atm(el) - L_point - L_pol - L_other + G/T(el) - 10 log10(k)
    Eb/N0 [dB]   = C/N0 - L_data - 10 log10(R_b)
    margin [dB]  = Eb/N0 - L_impl - (Eb/N0)_required(coding)

* Free-space loss 20 log10(4 pi d f / c).
* Atmosphere: zenith attenuation A_z per band (DSN 810-005 module 105, 90 % weather, of the order of 0.03 dB at S,
  0.04 dB at X, 0.12 dB at Ka) times the Kasten & Young (1989) air mass 1 / (sin el + 0.50572 (el + 6.07995)^-1.6364);
  the absorbing atmosphere also adds noise: T(el) = T_zenith + 275 K (10^(-A_z/10) - 10^(-A(el)/10)).
* Required Eb/N0 (BPSK, soft decisions, bit error rate 1e-5 unless said otherwise): CCSDS 130.1-G-3 (TM
  Synchronization and Channel Coding -- Summary of Concept and Rationale, 2020), figures of section 3; the
  'rs' entry (RS(255,223), interleaving 5, hard-decision BPSK, frame error rate 1e-4) is computed from the exact
  bounded-distance decoder formula used by :mod:`areo.ground.telemetry`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..constants import C_LIGHT
from ..errors import InputError, unknown_choice
from .stations import BANDS

BOLTZMANN_DB = 10.0 * math.log10(1.380649e-23)  # dBW/K/Hz, -228.599 (SI exact k)

# Per-element status of a batched budget (LinkBudget.status); elements not OK carry NaN results.
LINK_OK = 0
MAX_RANGE_M = 1e17
LINK_BAD_RANGE = 1
LINK_BAD_ELEVATION = 2
LINK_BAD_POWER = 3
LINK_STATUS = {
    LINK_OK: "ok",
    LINK_BAD_RANGE: "range is not a distance in 1..1e17 m (up to 10 light years)",
    LINK_BAD_ELEVATION: "elevation is not a finite angle in -90..90 deg",
    LINK_BAD_POWER: "EIRP or G/T is not a finite number of dB (-300..300)",
}
T_ATMOSPHERE_K = 275.0
ZENITH_ATTENUATION_DB = {"uhf": 0.01, "s": 0.03, "x": 0.04, "ka": 0.12}


@dataclass(frozen=True)
class Coding:
    """A channel code: rate (information bits per channel symbol) and the Eb/N0 it needs (dB) with its source."""

    name: str
    rate: float
    required_eb_n0_db: float
    source: str


def _rs_required_eb_n0_db(fer: float = 1e-4, interleave: int = 5) -> float:
    from scipy.optimize import brentq

    from .telemetry import rs_frame_error_rate_theory

    return float(
        brentq(
            lambda x: math.log10(max(rs_frame_error_rate_theory(x, interleave), 1e-300)) - math.log10(fer), 2.0, 10.0
        )
    )


CODINGS: dict[str, Coding] = {
    "uncoded": Coding("uncoded", 1.0, 9.6, "BPSK theory, BER 1e-5: Q(sqrt(2 Eb/N0)) = 1e-5 at 9.59 dB"),
    "conv": Coding("conv", 0.5, 4.4, "convolutional r=1/2 k=7, soft Viterbi, BER 1e-5 (CCSDS 130.1-G-3)"),
    "rs+conv": Coding(
        "rs+conv", 0.5 * 223 / 255, 2.5, "RS(255,223) I=5 + convolutional r=1/2 k=7, BER 1e-5 (CCSDS 130.1-G-3)"
    ),
    "turbo-1/2": Coding("turbo-1/2", 0.5, 1.0, "turbo r=1/2, 8920-bit frames, BER 1e-5 (CCSDS 130.1-G-3)"),
    "turbo-1/6": Coding("turbo-1/6", 1 / 6, 0.1, "turbo r=1/6, 8920-bit frames, BER 1e-5 (CCSDS 130.1-G-3)"),
}


def coding(name: str) -> Coding:
    key = str(name).strip().lower()
    if key == "rs":
        if "rs" not in CODINGS:
            CODINGS["rs"] = Coding(
                "rs",
                223 / 255,
                _rs_required_eb_n0_db(),
                "RS(255,223) I=5, hard-decision BPSK, frame error rate 1e-4 (exact formula)",
            )
        return CODINGS["rs"]
    if key not in CODINGS:
        raise unknown_choice("coding", str(name), [*list(CODINGS), "rs"])
    return CODINGS[key]


@dataclass(frozen=True)
class SpacecraftRadio:
    """A spacecraft transmitter: EIRP (dBW) per band, with the source of each figure."""

    name: str
    eirp_dbw: dict[str, float]
    source: str
    max_rate_bps: float = float("inf")

    def eirp(self, band: str) -> float:
        key = str(band).strip().lower()
        if key not in self.eirp_dbw:
            raise InputError(
                f"spacecraft {self.name!r} has no {band!r} transmitter; it has: {', '.join(self.eirp_dbw)}. "
                "Choose one of those bands or give --eirp-dbw."
            )
        return self.eirp_dbw[key]


def _dish_eirp(power_w, diameter_m, f_hz, eff=0.6, losses_db=1.0):
    return 10 * math.log10(power_w) + 10 * math.log10(eff * (math.pi * diameter_m * f_hz / C_LIGHT) ** 2) - losses_db


SPACECRAFT: dict[str, SpacecraftRadio] = {
    "tgo": SpacecraftRadio(
        "tgo",
        {"x": _dish_eirp(65.0, 2.2, BANDS["x"][0])},
        "ExoMars TGO: 65 W X-band TWTA and 2.2 m high-gain antenna (ESA TGO fact sheet); gain from efficiency "
        "0.6, 1 dB circuit loss (derived); rates capped at an assumed 2 Mbit/s",
        max_rate_bps=2.0e6,
    ),
    "schiaparelli": SpacecraftRadio(
        "schiaparelli",
        {"uhf": 10 * math.log10(5.0) + 0.0 - 1.0},
        "Schiaparelli EDM: UHF 401 MHz proximity transmitter, assumed 5 W into a ~0 dBi wide-beam antenna, "
        "1 dB loss (assumed, not published)",
    ),
    "mars-smallsat": SpacecraftRadio(
        "mars-smallsat",
        {"x": _dish_eirp(15.0, 0.5, BANDS["x"][0])},
        "illustrative small Mars spacecraft: 15 W X-band, 0.5 m antenna (assumed)",
        max_rate_bps=256e3,
    ),
}


def spacecraft(name: str) -> SpacecraftRadio:
    key = str(name).strip().lower()
    if key not in SPACECRAFT:
        raise unknown_choice("spacecraft", str(name), SPACECRAFT, "Or give --eirp-dbw directly.")
    return SPACECRAFT[key]


def free_space_loss_db(range_m, frequency_hz):
    """20 log10(4 pi d f / c) (dB)."""
    return 20.0 * np.log10(4.0 * np.pi * np.asarray(range_m, dtype=float) * frequency_hz / C_LIGHT)


def air_mass(elevation_deg):
    """Kasten & Young (1989) relative air mass (1 at zenith, ~38 at the horizon)."""
    el = np.clip(np.asarray(elevation_deg, dtype=float), 0.0, 90.0)
    return 1.0 / (np.sin(np.radians(el)) + 0.50572 * (el + 6.07995) ** -1.6364)


@dataclass(frozen=True)
class LinkBudget:
    """One budget line per field, dB units unless named; arrays broadcast over epochs/elevations."""

    eirp_dbw: np.ndarray
    free_space_loss_db: np.ndarray
    atmospheric_loss_db: np.ndarray
    elevation_gain_loss_db: np.ndarray
    pointing_loss_db: float
    polarization_loss_db: float
    other_losses_db: float
    g_t_db_k: np.ndarray
    c_n0_dbhz: np.ndarray
    data_rate_bps: float
    eb_n0_db: np.ndarray
    implementation_loss_db: float
    coding: Coding
    margin_db: np.ndarray
    required_margin_db: float
    max_data_rate_bps: np.ndarray = field(default=None)  # type: ignore[arg-type]  # station_link always sets it
    status: np.ndarray = field(default=None)  # type: ignore[arg-type]  # per element, LINK_STATUS codes; results of bad elements are NaN

    def rows(self) -> list[tuple[str, float, str]]:
        """(line, value, unit) for display; arrays are shown by their first element."""
        f = lambda x: float(np.ravel(x)[0])  # noqa: E731
        return [
            ("EIRP", f(self.eirp_dbw), "dBW"),
            ("free-space loss", -f(self.free_space_loss_db), "dB"),
            ("atmospheric loss", -f(self.atmospheric_loss_db), "dB"),
            ("dish gain loss at elevation", -f(self.elevation_gain_loss_db), "dB"),
            ("ground pointing loss", -self.pointing_loss_db, "dB"),
            ("polarization loss", -self.polarization_loss_db, "dB"),
            ("other losses", -self.other_losses_db, "dB"),
            ("G/T (at elevation)", f(self.g_t_db_k), "dB/K"),
            ("Boltzmann constant", -BOLTZMANN_DB, "dB"),
            ("C/N0", f(self.c_n0_dbhz), "dB-Hz"),
            ("data rate", 10 * math.log10(self.data_rate_bps), "dB-bit/s"),
            ("Eb/N0", f(self.eb_n0_db), "dB"),
            ("implementation loss", -self.implementation_loss_db, "dB"),
            (f"required Eb/N0 ({self.coding.name})", self.coding.required_eb_n0_db, "dB"),
            ("margin", f(self.margin_db), "dB"),
            (f"max rate at {self.required_margin_db:g} dB margin", f(self.max_data_rate_bps), "bit/s"),
        ]


def link_budget(
    *,
    eirp_dbw,
    frequency_hz: float,
    range_m,
    g_t_db_k,
    data_rate_bps: float,
    coding_name: str = "rs+conv",
    elevation_deg=90.0,
    band: str | None = None,
    zenith_attenuation_db: float | None = None,
    system_noise_k: float | None = None,
    pointing_loss_db: float = 0.1,
    gain_loss_db_per_deg2: float = 0.0,
    rigging_elevation_deg: float = 45.0,
    polarization_loss_db: float = 0.0,
    other_losses_db: float = 0.0,
    data_power_loss_db: float = 0.0,
    implementation_loss_db: float = 0.3,
    required_margin_db: float = 3.0,
    required_eb_n0_db: float | None = None,
) -> LinkBudget:
    """Downlink budget (vectorised over ``range_m`` / ``elevation_deg``); see the module docstring.

    Pointing: a constant tracking loss ``pointing_loss_db`` plus the gravity-deformation loss of a large dish away
    from its rigging elevation, ``gain_loss_db_per_deg2 (el - rigging_elevation_deg)^2`` (the parabolic form of
    the gain-vs-elevation curves of DSN 810-005 modules 101/104; :func:`station_link` sets the coefficient).
    ``g_t_db_k`` is the zenith figure of merit; when ``system_noise_k`` is given, G/T is lowered by the sky noise
    the atmosphere adds at low elevation. ``required_eb_n0_db`` overrides the coding's threshold. Raises
    InputError for a bad scalar input (rate, frequency, losses, margin) or, when range, elevation, EIRP and G/T are all
    scalars, for a bad one of those. With arrays, ``status`` flags each element (:data:`LINK_STATUS`: a range that
    is not in 1..1e17 m, an elevation outside -90..90 deg, an EIRP or G/T that is not finite) and that
    element's C/N0, Eb/N0, margin and rate are NaN.
    """
    _check_scalars(
        data_rate_bps=data_rate_bps,
        frequency_hz=frequency_hz,
        pointing_loss_db=pointing_loss_db,
        polarization_loss_db=polarization_loss_db,
        other_losses_db=other_losses_db,
        data_power_loss_db=data_power_loss_db,
        implementation_loss_db=implementation_loss_db,
        required_margin_db=required_margin_db,
    )
    status, rng, el, eirp, g_t0 = _screen(range_m, elevation_deg, eirp_dbw, g_t_db_k)
    cod = _coding_used(coding_name, required_eb_n0_db)
    zenith_db = _zenith_db(zenith_attenuation_db, band)
    a_atm = zenith_db * air_mass(el)
    g_t = _g_t_at_elevation(g_t0, el, a_atm, zenith_db, system_noise_k)
    fsl = free_space_loss_db(rng, frequency_hz)
    g_loss = gain_loss_db_per_deg2 * (el - rigging_elevation_deg) ** 2
    carrier = _carrier_lines(eirp, fsl, a_atm, g_loss, g_t, pointing_loss_db, polarization_loss_db, other_losses_db)
    data = _data_lines(
        carrier["c_n0_dbhz"], data_rate_bps, cod, data_power_loss_db, implementation_loss_db, required_margin_db
    )
    return LinkBudget(**carrier, **data, status=status)


def _coding_used(coding_name: str, required_eb_n0_db: float | None) -> Coding:
    """The named coding, with its Eb/N0 threshold replaced by ``required_eb_n0_db`` when that is given."""
    cod = coding(coding_name)
    if required_eb_n0_db is not None:
        cod = Coding(f"{cod.name} (given)", cod.rate, float(required_eb_n0_db), "given by the caller")
    return cod


def _zenith_db(zenith_attenuation_db: float | None, band: str | None) -> float:
    """The zenith attenuation (dB) given, else the band's typical one (X-band's when the band is unknown)."""
    if zenith_attenuation_db is None:
        zenith_attenuation_db = ZENITH_ATTENUATION_DB.get((band or "x").lower(), 0.04)
    return zenith_attenuation_db


def _g_t_at_elevation(g_t0, el, a_atm, zenith_db: float, system_noise_k: float | None):
    """G/T (dB/K) at elevation: the zenith figure lowered by the sky noise the extra air mass adds."""
    g_t = g_t0 + 0.0 * el
    if system_noise_k is not None and math.isfinite(system_noise_k):
        t_el = system_noise_k + T_ATMOSPHERE_K * (10 ** (-zenith_db / 10) - 10 ** (-a_atm / 10))
        g_t = g_t - 10 * np.log10(t_el / system_noise_k)
    return g_t


def _carrier_lines(eirp, fsl, a_atm, g_loss, g_t, pointing_loss_db, polarization_loss_db, other_losses_db) -> dict:
    """The received-carrier lines of the budget (LinkBudget fields) and the C/N0 (dB-Hz) they sum to."""
    c_n0 = eirp - fsl - a_atm - g_loss - pointing_loss_db - polarization_loss_db - other_losses_db + g_t - BOLTZMANN_DB
    return {
        "eirp_dbw": eirp,
        "free_space_loss_db": fsl,
        "atmospheric_loss_db": a_atm,
        "elevation_gain_loss_db": np.asarray(g_loss),
        "pointing_loss_db": pointing_loss_db,
        "polarization_loss_db": polarization_loss_db,
        "other_losses_db": other_losses_db,
        "g_t_db_k": g_t,
        "c_n0_dbhz": c_n0,
    }


def _data_lines(
    c_n0, data_rate_bps, cod: Coding, data_power_loss_db, implementation_loss_db, required_margin_db
) -> dict:
    """The data lines of the budget (LinkBudget fields): Eb/N0, margin, and the highest rate at the required margin."""
    eb_n0 = c_n0 - data_power_loss_db - 10 * math.log10(data_rate_bps)
    margin = eb_n0 - implementation_loss_db - cod.required_eb_n0_db
    max_rate = 10 ** (
        (c_n0 - data_power_loss_db - implementation_loss_db - cod.required_eb_n0_db - required_margin_db) / 10
    )
    return {
        "data_rate_bps": float(data_rate_bps),
        "eb_n0_db": eb_n0,
        "implementation_loss_db": implementation_loss_db,
        "coding": cod,
        "margin_db": margin,
        "required_margin_db": required_margin_db,
        "max_data_rate_bps": max_rate,
    }


def _check_scalars(**values) -> None:
    """Scalar budget inputs: finite; the rate and frequency positive; losses and margins within +-300 dB."""
    for name, v in values.items():
        try:
            x = float(v)
        except (TypeError, ValueError):
            x = math.nan
        positive = name in ("data_rate_bps", "frequency_hz")
        if not math.isfinite(x) or (positive and not x > 0) or (not positive and abs(x) > 300.0):
            allowed = "a finite positive number" if positive else "a finite number of dB within +-300"
            raise InputError(f"{name} is {v!r}; it must be {allowed}.")


def _screen(range_m, elevation_deg, eirp_dbw, g_t_db_k):
    """Per-element status of the array inputs (broadcast); bad elements are replaced by harmless values so the
    arithmetic stays quiet, and their results are set to NaN by the caller through ``status``. A scalar (0-d)
    call with a bad value raises InputError instead."""
    rng, el, eirp, g_t = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (range_m, elevation_deg, eirp_dbw, g_t_db_k))
    )
    status = np.full(rng.shape, LINK_OK, dtype=np.int8)
    status[~(np.abs(eirp) <= 300.0) | ~(np.abs(g_t) <= 300.0)] = LINK_BAD_POWER
    status[~((el >= -90.0) & (el <= 90.0))] = LINK_BAD_ELEVATION
    status[~((rng >= 1.0) & (rng <= MAX_RANGE_M))] = LINK_BAD_RANGE
    if status.ndim == 0 and status != LINK_OK:
        raise InputError(
            f"{LINK_STATUS[int(status)]}: range {float(rng)!r} m, elevation {float(el)!r} deg, EIRP "
            f"{float(eirp)!r} dBW, G/T {float(g_t)!r} dB/K."
        )
    bad = status != LINK_OK
    return (
        status,
        np.where(bad, 1.0, rng),
        np.where(bad, 90.0, el),
        np.where(bad, np.nan, eirp),
        np.where(bad, 0.0, g_t),
    )


# Gravity-deformation gain loss coefficient (dB/deg^2) by dish size and band: assumed values that give the order
# of the DSN 810-005 curves (a 70 m dish loses ~0.2-0.3 dB at X-band near 10 deg elevation, a 34 m BWG < 0.1 dB;
# Ka-band losses are ~4x larger). Below 20 m and at UHF/S the effect is neglected.
def gain_loss_coefficient(diameter_m: float, band: str) -> float:
    base = {"uhf": 0.0, "s": 0.0, "x": 1.0, "ka": 4.0}.get(band, 1.0)
    if diameter_m >= 60.0:
        return 2.0e-4 * base
    if diameter_m >= 30.0:
        return 5.0e-5 * base
    return 0.0


def station_link(
    station,
    band: str,
    range_m,
    elevation_deg,
    *,
    eirp_dbw: float,
    data_rate_bps: float,
    coding_name: str = "rs+conv",
    **kw,
) -> LinkBudget:
    """:func:`link_budget` for a catalogue station's band (its G/T, system noise, downlink frequency and the
    elevation-dependent gain loss of its dish size)."""
    spec = station.band(band)
    kw.setdefault("gain_loss_db_per_deg2", gain_loss_coefficient(station.diameter_m, spec.band))
    return link_budget(
        eirp_dbw=eirp_dbw,
        frequency_hz=spec.frequency_down_hz,
        range_m=range_m,
        g_t_db_k=spec.g_t_db_k,
        system_noise_k=spec.system_noise_k,
        elevation_deg=elevation_deg,
        band=spec.band,
        data_rate_bps=data_rate_bps,
        coding_name=coding_name,
        **kw,
    )
