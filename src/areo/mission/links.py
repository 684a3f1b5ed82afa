"""Links between domains that the user can call directly (the domains themselves never import each other)."""

from __future__ import annotations

from .scenario import resolve_scenario_path


def edl_housekeeping(scenario: str, case: str | None, rate_kbps: float) -> list[bytes]:
    """CCSDS space packets carrying an EDL case's simulated history (true and on-board altitude, speed, Mach) at
    ``rate_kbps``, for ``areo telemetry --edl``."""
    from ..edl.api import simulate_scenario
    from ..ground.telemetry import housekeeping_packets

    run = simulate_scenario(resolve_scenario_path(scenario), case=case, history=True)
    h = run.history
    return housekeeping_packets(
        h["t"],
        {
            "altitude_m": h["altitude_m"],
            "est_altitude_m": h["altitude_est_m"],
            "speed_m_s": h["speed_m_s"],
            "mach": h["mach"],
        },
        rate_bps=rate_kbps * 1e3,
    )
