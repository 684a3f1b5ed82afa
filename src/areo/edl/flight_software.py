"""Flight-software phase logic: the transitions fired at the start of a cycle, from the navigated quantities
(Mach or dynamic pressure armed after 2 g, time since mortar fire, radar-aided altitude, end of the separation
burn), with their actions (mortar fire, snatch kick, front-shield jettison, back-shell release with the
lander holding its attitude, thrusters to the throttle law, on-ground mode). Events are recorded through
``record(name, fire)``. Phases are those of :mod:`areo.edl.gnc`."""

from __future__ import annotations

from typing import Any, NamedTuple

from . import parachutes
from ._vec import cross, dot
from .gnc import ENTRY, INFLATING, ON_GROUND, PARACHUTE, POWERED, RADAR_DESCENT, SEPARATION_BURN


class Transition(NamedTuple):
    phase: Any
    t_deploy: Any
    t_infl_done: Any
    t_release: Any
    m: Any
    om: Any
    th: Any
    the: Any
    pax: tuple  # pitch axis (frozen at release)
    g_dep: Any  # distance to the deploy threshold (navigated Mach or dynamic pressure)
    g_rel: Any  # radar-aided altitude above the release altitude (m)
    g_cut: Any  # radar-aided altitude above the cut-off altitude (m)


def transitions(S, p, nav, active, t, rho, V, mach, u, nadir, pax, record, xp) -> Transition:
    phase = S["phase"]
    m = S["m"]
    om, th, the = S["om"], S["th"], S["the"]
    # parachute deploy
    use_q = p["deploy_q"] > 0
    g_dep = xp.where(use_q, nav.q - p["deploy_q"], nav.mach - p["deploy_mach"])
    fire = active & (phase == ENTRY) & (g_dep <= 1e-6) & (S["peak_g"] > 2.0)
    record("parachute_deploy", fire)
    t_deploy = xp.where(fire, t, S["t_deploy"])
    om = xp.where(fire, p["om_deploy"], om)
    phase = xp.where(fire, INFLATING, phase)
    # full inflation: snatch-load pitch kick
    fire = active & (phase == INFLATING) & (t >= t_deploy + p["t_inflation"] - 1e-9)
    kick = parachutes.snatch_kick(0.5 * rho * V * V, mach, p, xp)
    record("parachute_inflated", fire & (p["chute_fail"] < 0.5))
    om = xp.where(fire, om + kick, om)
    t_infl_done = xp.where(fire, t, S["t_infl_done"])
    phase = xp.where(fire, PARACHUTE, phase)
    # front-shield jettison, radar on
    fire = active & (phase == PARACHUTE) & (t >= t_deploy + p["t_jettison"] - 1e-9)
    record("heatshield_jettison", fire)
    m = xp.where(fire, m - p["m_front_shield"], m)
    phase = xp.where(fire, RADAR_DESCENT, phase)
    # back-shell and parachute release on the radar-aided estimated altitude
    g_rel = nav.h - p["release_alt"]
    fire = active & (phase == RADAR_DESCENT) & (nav.locked > 0.5) & (g_rel <= 1e-6)
    record("backshell_release", fire)
    m = xp.where(fire, m - p["m_backshell_chute"], m)
    t_release = xp.where(fire, t, S["t_release"])
    # the lander keeps the attitude it had (angle from nadir in the frozen pitch plane)
    alpha_u = xp.arctan2(dot(u, cross(pax, nadir)), dot(u, nadir))
    th = xp.where(fire, alpha_u + th, th)
    the = xp.where(fire, alpha_u + the, the)
    om = xp.where(fire, 0.0, om)
    pax = tuple(xp.where(fire, pax[i], S[k]) for i, k in enumerate(("px", "py", "pz")))
    phase = xp.where(fire, SEPARATION_BURN, phase)
    # end of separation burn / on-ground detection
    burn_done = t >= t_release + p["sep_burn"] - 1e-9
    g_cut = nav.h - p["cutoff_alt"]
    fire_og = active & (((phase == SEPARATION_BURN) & burn_done) | (phase == POWERED)) & (g_cut <= 1e-6)
    record("on_ground_mode", fire_og)
    phase = xp.where(fire_og, ON_GROUND, xp.where(active & (phase == SEPARATION_BURN) & burn_done, POWERED, phase))
    return Transition(phase, t_deploy, t_infl_done, t_release, m, om, th, the, pax, g_dep, g_rel, g_cut)
