"""Parachute models: the snatch-load pitch kick at a stage's full inflation. The stages themselves (area, drag
coefficient constant or the disk-gap-band table vs Mach, inflation time) are the scenario's
``[[edl.parachutes]]``, compiled by :mod:`areo.edl.flight_software`."""

from __future__ import annotations


def snatch_kick(qdyn, cd_area, p, xp):
    """Pitch-rate kick (rad/s) at full inflation of a canopy of drag area ``cd_area`` (m^2):
    q C_D S overshoot l tau sin(psi) / I (zero if the parachute failed)."""
    kick = (
        qdyn
        * cd_area
        * p["cd_chute_scale"]
        * p["chute_overshoot"]
        * p["chute_arm"]
        * p["chute_tau"]
        * p["sin_misalign"]
        / p["pitch_inertia"]
    )
    return kick * (1.0 - p["chute_fail"])
