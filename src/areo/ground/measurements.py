"""Radiometric observables: one-way light time, two-way range and range rate, one- and two-way Doppler.

All epochs are RECEIVE times at the station (TDB seconds past J2000). Light-time solutions use the station's
barycentric position at each leg's end (so station rotation is included) and DE421 / the target's trajectory.

* one-way light time ``tau_d``: target transmits at t - tau_d, station receives at t.
* two-way: station transmits at t - tau_u - tau_d, target turns the signal around at t - tau_d, station receives
  at t. Two-way range = c (tau_u + tau_d) / 2; range rate = its time derivative.
* Doppler (coordinate-time): received frequency f_r = M f_t (1 - d(path)/dt / c); the shift is f_r - M f_t.
  One-way uses the spacecraft's downlink frequency (M = 1); two-way uses the station's uplink frequency and the
  transponder turnaround ratio M (X-up/X-down 880/749, S-up/S-down 240/221). Not modelled: Shapiro delay
  (< 80 us), troposphere/ionosphere delays and clock/proper-time terms (a constant ~1e-8 bias in one-way
  frequency; two-way Doppler, timed by one station clock, is free of it to first order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from ..constants import C_LIGHT
from ..ephem import Ephemeris, default_ephemeris
from ..errors import InputError
from .geometry import EarthOrientation, _norm, as_target, light_time_solve, station_state
from .stations import BANDS, Station

# Transponder turnaround ratios (uplink band, downlink band) -> M, CCSDS 401.0-B 2.1.1 / DSN 810-005 module 201.
TURNAROUND: dict[tuple[str, str], tuple[int, int]] = {
    ("s", "s"): (240, 221),
    ("s", "x"): (880, 221),
    ("x", "x"): (880, 749),
    ("x", "s"): (240, 749),
    ("x", "ka"): (3344, 749),
    ("ka", "ka"): (3360, 3599),
}


@dataclass(frozen=True)
class Observables:
    """Observables at receive epochs ``tdb_s`` (arrays of one shape). Two-way quantities are NaN for one-way."""

    tdb_s: np.ndarray
    one_way_light_time_s: np.ndarray
    one_way_range_rate_m_s: np.ndarray
    two_way_range_m: np.ndarray
    two_way_range_rate_m_s: np.ndarray
    downlink_frequency_hz: float
    uplink_frequency_hz: float | None
    turnaround: tuple[int, int] | None
    one_way_doppler_hz: np.ndarray
    two_way_doppler_hz: np.ndarray
    receive_frequency_hz: np.ndarray

    _SERIES = (
        "one_way_light_time_s",
        "one_way_range_rate_m_s",
        "two_way_range_m",
        "two_way_range_rate_m_s",
        "one_way_doppler_hz",
        "two_way_doppler_hz",
        "receive_frequency_hz",
    )

    def to_dataframe(self):
        """pandas DataFrame, one row per receive epoch: ``receive_utc`` (datetime64[ns, UTC]), ``tdb_s`` and the
        observables (NaN two-way columns for one-way). Needs pandas (``areo[notebook]``)."""
        from ..results import _need
        from ..time import tdb_seconds_to_utc_iso

        pd = _need("pandas", "to_dataframe()")
        from ..results import utc_column

        t = np.ravel(self.tdb_s)
        cols = {"receive_utc": utc_column(np.atleast_1d(tdb_seconds_to_utc_iso(t, decimals=6))), "tdb_s": t}
        cols.update({k: np.ravel(getattr(self, k)) for k in self._SERIES})
        return pd.DataFrame(cols)

    def figure(self):
        """plotly Figure of the Doppler shift (two-way where computed, else one-way) against receive time."""
        from ..results import _need

        go = _need("plotly.graph_objects", "figure()")
        df = self.to_dataframe()
        two = bool(np.any(np.isfinite(df["two_way_doppler_hz"])))
        col = "two_way_doppler_hz" if two else "one_way_doppler_hz"
        fig = go.Figure(go.Scatter(x=df["receive_utc"], y=df[col], mode="lines", name=col))
        fig.update_layout(
            title=f"{'two' if two else 'one'}-way Doppler at {self.downlink_frequency_hz / 1e9:.4f} GHz downlink",
            xaxis_title="receive time (UTC)",
            yaxis_title="Doppler shift (Hz)",
        )
        return fig

    def _repr_html_(self) -> str:
        from ..results import html_table
        from ..time import tdb_seconds_to_utc_iso

        t = np.ravel(self.tdb_s)
        head = t[:50]  # the table shows 50 rows at most: convert only those
        utc = np.atleast_1d(tdb_seconds_to_utc_iso(head, decimals=3))
        rows = [
            {"receive_utc": u, **{k: float(np.ravel(getattr(self, k))[i]) for k in self._SERIES}}
            for i, u in enumerate(utc)
        ]
        more = f" (first {head.size} shown)" if t.size > head.size else ""
        return html_table(
            rows, f"observables: {t.size} epochs{more}, downlink {self.downlink_frequency_hz / 1e9:.4f} GHz"
        )


def one_way_light_time(
    station: Station, target, tdb_receive_s, *, eo: EarthOrientation | None = None, ephemeris: Ephemeris | None = None
) -> np.ndarray:
    """Downlink light time (s) from ``target`` to ``station`` for receive epochs (TDB s)."""
    t = np.asarray(tdb_receive_s, dtype=float)
    tgt = as_target(target)
    st = station_state(station, t, eo, ephemeris)
    return light_time_solve(tgt, st.r_ssb_m, t)[0]


def _two_way_path_s(station, tgt, t, eo, eph):
    st = station_state(station, t, eo, eph)
    tau_d, r_t = light_time_solve(tgt, st.r_ssb_m, t)
    # uplink: station at t3 = t - tau_d - tau_u; iterate on tau_u
    tau_u = tau_d.copy()
    for _ in range(4):
        s3 = station_state(station, t - tau_d - tau_u, eo, eph)
        tau_u = _norm(r_t - s3.r_ssb_m) / C_LIGHT
    return tau_d, tau_u


def _frequencies(station: Station, band: str, uplink_band, downlink_frequency_hz, uplink_frequency_hz):
    """(downlink Hz, turnaround ratio or None, uplink Hz or None); refuses a band unknown or missing at the station."""
    key = str(band).strip().lower()
    if key not in BANDS:
        from ..errors import unknown_choice

        raise unknown_choice("band", str(band), BANDS)
    up = (uplink_band or key).strip().lower()
    station.band(key)  # raises for a band the station lacks
    f_down = float(downlink_frequency_hz or BANDS[key][0])
    ratio = TURNAROUND.get((up, key))
    f_up = uplink_frequency_hz
    if f_up is None and ratio is not None:
        f_up = f_down * ratio[1] / ratio[0]  # uplink that makes the coherent downlink land on f_down
    return f_down, ratio, f_up


def _light_times(station, tgt, t, h_s, two_way, eph):
    """Downlink and uplink light times (s) at t - h_s, t, t + h_s (rows); the uplink is NaN for one-way."""
    eo = EarthOrientation.for_epochs(np.concatenate([t.ravel() - 7200.0, t.ravel() + 1.0]))
    stack = np.stack([t - h_s, t, t + h_s])
    if two_way:
        tau_d, tau_u = _two_way_path_s(station, tgt, stack, eo, eph)
    else:
        st = station_state(station, stack, eo, eph)
        tau_d = light_time_solve(tgt, st.r_ssb_m, stack)[0]
        tau_u = np.full_like(tau_d, np.nan)
    tgt.check_range(stack - tau_d)  # the target's epochs (DE421 bodies raise by themselves)
    return tau_d, tau_u


def observables(
    station: Station,
    target,
    tdb_receive_s,
    *,
    band: str = "x",
    uplink_band: str | None = None,
    downlink_frequency_hz: float | None = None,
    uplink_frequency_hz: float | None = None,
    h_s: float = 0.5,
    ephemeris: Ephemeris | None = None,
) -> Observables:
    """Light time, range, range rate and Doppler of ``target`` at ``station`` for receive epochs.

    ``band`` is the downlink band; ``uplink_band`` (default: same) sets the uplink frequency and turnaround.
    Range rates are central differences over +-``h_s`` of the light-time solutions (float64 light times carry
    ~1e-13 s of rounding, i.e. < 1e-4 m/s of range-rate noise at h = 0.5 s).
    """
    f_down, ratio, f_up = _frequencies(station, band, uplink_band, downlink_frequency_hz, uplink_frequency_hz)
    t = np.asarray(tdb_receive_s, dtype=float)
    if t.size == 0:
        raise InputError("no epochs given; pass at least one receive time.")
    tgt = as_target(target)
    tau_d, tau_u = _light_times(station, tgt, t, h_s, ratio is not None, ephemeris or default_ephemeris())
    dtau_d = (tau_d[2] - tau_d[0]) / (2 * h_s)
    dpath2 = (tau_d[2] + tau_u[2] - tau_d[0] - tau_u[0]) / (2 * h_s)
    one_way_shift = -f_down * dtau_d
    if ratio is not None:
        m = ratio[0] / ratio[1]
        f_up_hz = cast(float, f_up)  # set from f_down above whenever a turnaround ratio exists
        two_way_shift = -m * f_up_hz * dpath2
        rx = m * f_up_hz + two_way_shift
    else:
        two_way_shift = np.full_like(t, np.nan)
        rx = f_down + one_way_shift
    return Observables(
        tdb_s=t,
        one_way_light_time_s=tau_d[1],
        one_way_range_rate_m_s=C_LIGHT * dtau_d,
        two_way_range_m=C_LIGHT * (tau_d[1] + tau_u[1]) / 2.0,
        two_way_range_rate_m_s=C_LIGHT * dpath2 / 2.0,
        downlink_frequency_hz=f_down,
        uplink_frequency_hz=f_up,
        turnaround=ratio,
        one_way_doppler_hz=one_way_shift,
        two_way_doppler_hz=two_way_shift,
        receive_frequency_hz=rx,
    )


def tdm_records(
    obs: Observables, station: Station, target_name: str, *, two_way: bool = True, epochs_utc: list[str] | None = None
):
    """(metadata, records) for :func:`areo.io.tdm.write_tdm` from :class:`Observables` (UTC epochs)."""
    from ..time import tdb_seconds_to_utc_iso

    if epochs_utc is None:
        epochs_utc = [e[:-1] for e in tdb_seconds_to_utc_iso(np.atleast_1d(obs.tdb_s), decimals=3)]  # rounded
    epochs = epochs_utc
    band = next((b for b, (f, _) in BANDS.items() if abs(f - obs.downlink_frequency_hz) < 1e8), "X").upper()
    meta = {
        "TIME_SYSTEM": "UTC",
        "PARTICIPANT_1": station.id.upper(),
        "PARTICIPANT_2": target_name.upper(),
        "MODE": "SEQUENTIAL",
        "PATH": "1,2,1" if two_way and obs.turnaround else "2,1",
        "INTEGRATION_REF": "MIDDLE",
        "RANGE_MODE": "CONSTANT",
        "RANGE_MODULUS": "0",
        "RANGE_UNITS": "km",
        "TRANSMIT_BAND": band,
        "RECEIVE_BAND": band,
    }
    if two_way and obs.turnaround:
        meta["TURNAROUND_NUMERATOR"] = str(obs.turnaround[0])
        meta["TURNAROUND_DENOMINATOR"] = str(obs.turnaround[1])
    meta["COMMENT"] = "areo: coordinate-time observables from DE421; no media, Shapiro or clock terms"
    records = []
    for i, e in enumerate(epochs):
        if two_way and obs.turnaround:
            records.append(("TRANSMIT_FREQ_1", e, f"{obs.uplink_frequency_hz:.6f}"))
            records.append(("RANGE", e, f"{obs.two_way_range_m.ravel()[i] / 1000.0:.6f}"))
            records.append(("DOPPLER_INSTANTANEOUS", e, f"{obs.two_way_range_rate_m_s.ravel()[i] / 1000.0:.9f}"))
        else:
            records.append(("DOPPLER_INSTANTANEOUS", e, f"{obs.one_way_range_rate_m_s.ravel()[i] / 1000.0:.9f}"))
        records.append(("RECEIVE_FREQ_1", e, f"{np.ravel(obs.receive_frequency_hz)[i]:.6f}"))
    return meta, records
