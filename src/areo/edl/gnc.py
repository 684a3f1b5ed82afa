"""Sensors, on-board navigation, flight-software phase logic and fault injection.

IMU
    Gyro (pitch axis): measured = clip((1 + scale_factor) * rate + bias, -limit, +limit), plus angle random
    walk in the integrated attitude; accelerometers add velocity random walk. Noise comes from a
    counter-based generator (:func:`white_noise`) keyed by run and step, identical in numpy and JAX. The IMU raises a
    saturation flag while the raw rate exceeds the limit and holds it for ``saturation_flag_hold_s``
    after the rate comes back in range (the "persistence"). While the flag is up the navigation
    integrates the saturation value (limit, with the sign of the saturating rate) instead of the output:
    with a short hold (15 ms) the attitude error stays at a few degrees; with a ~1 s hold (the as-flown
    case of a shipped scenario) it grows to the order of the limit times one second. Accelerometers:
    specific force (1 + scale factor) + bias along the capsule axis, rotated into the navigation frame
    with the estimated attitude (so an attitude error also corrupts the inertial velocity).
Radar altimeter
    Four beams canted by ``beam_cant_deg`` around the capsule axis, on after front-shield jettison. Each
    beam returns slant range and Doppler velocity when the range is below ``max_range_m`` and the beam is
    within ``max_off_nadir_deg`` of nadir. With all four beams valid the navigation replaces its altitude
    by mean(range_k * cos(estimated off-nadir angle_k)) and its velocity by the least-squares solution of
    the Dopplers with the estimated beam directions: an attitude error beyond 90 degrees makes the
    radar-derived altitude negative.
Flight software
    A phase table from the scenario (:mod:`areo.edl.flight_software`); the IMU, radar and faults here are
    generic.
Faults
    imu-saturation (the as-flown flag hold), radar-dropout, parachute-failure, thruster-failure.
"""

from __future__ import annotations

from ..errors import InputError, unknown_choice

FAULTS = ("imu-saturation", "radar-dropout", "parachute-failure", "thruster-failure")


def fault_params(faults, as_flown_flag_hold_s: float | None, failed_thrusters: int | None) -> dict[str, float]:
    """Parameter overrides for the named faults (the scenario says how large each fault is)."""
    out: dict[str, float] = {}
    for f in faults:
        if f not in FAULTS:
            raise unknown_choice("fault", f, FAULTS, "Use --fault NAME (repeatable).")
        if f == "imu-saturation":
            if as_flown_flag_hold_s is None:
                raise InputError(
                    "fault 'imu-saturation' needs edl.imu.as_flown_saturation_flag_hold_s (s, 0-10) in the scenario"
                )
            out["flag_hold"] = as_flown_flag_hold_s
        elif f == "radar-dropout":
            out["radar_fail"] = 1.0
        elif f == "parachute-failure":
            out["chute_fail"] = 1.0
        elif f == "thruster-failure":
            if failed_thrusters is None:
                raise InputError(
                    "fault 'thruster-failure' needs edl.thrusters.failed_in_thruster_failure (0-64) in the scenario"
                )
            out["n_failed"] = float(failed_thrusters)
    return out


# sensor models live in areo.edl.sensors; re-exported here for callers of the former layout
from .sensors import averaging, capsule_frame, gyro, radar, radar_filter, rotate, white_noise  # noqa: E402

__all__ = [
    "FAULTS",
    "averaging",
    "capsule_frame",
    "fault_params",
    "gyro",
    "radar",
    "radar_filter",
    "rotate",
    "white_noise",
]
