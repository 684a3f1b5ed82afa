"""Parachute models: drag-area fraction during inflation and the snatch-load pitch kick at full inflation."""

from __future__ import annotations

from . import aero


def snatch_kick(qdyn, mach, p, xp):
    """Pitch-rate kick (rad/s) at full inflation: q C_D S overshoot l tau sin(psi) / I (zero if the parachute
    failed)."""
    kick = (
        qdyn
        * aero.cd_parachute(mach, xp)
        * p["cd_chute_scale"]
        * p["area_chute"]
        * p["chute_overshoot"]
        * p["chute_arm"]
        * p["chute_tau"]
        * p["sin_misalign"]
        / p["pitch_inertia"]
    )
    return kick * (1.0 - p["chute_fail"])
