"""On-board navigation at the start of a flight-software cycle: the inertially propagated state, the
navigated Mach and dynamic pressure (in the on-board atmosphere), and the radar update (averaged samples,
first-order altitude blend, Doppler velocity) once the radar is on and locked."""

from __future__ import annotations

from typing import Any, NamedTuple

from . import atmosphere as atm_mod
from . import dynamics as dyn
from ._fuse import keep
from ._vec import norm
from .sensors import averaging, radar, radar_filter, white_noise


class Nav(NamedTuple):
    r: tuple  # navigated position (m), after the radar update
    v: tuple  # navigated velocity (m/s), after the radar update
    rr: Any  # |r|
    mach: Any  # navigated Mach (before the update, as the flight software reads it)
    q: Any  # navigated dynamic pressure (Pa)
    h: Any  # radar-aided altitude above the site (m)
    locked: Any  # 1 once the radar has returned
    fire_lock: Any  # the radar returns for the first time in this cycle
    rng_max: Any  # longest true slant range of the beams (m): the lock prediction


def update(S, p, model, radar_on, active, agl, v, nadir, ref, pax, xp) -> Nav:
    nr = (S["nx"], S["ny"], S["nz"])
    nv = (S["nvx"], S["nvy"], S["nvz"])
    nrr = norm(nr, xp)
    n_h = dyn.altitude(nr[0], nr[1], nr[2], xp)
    n_agl = n_h - p["nav_ground_elev"]
    ntemp, _, nrho = model.nav_atmosphere.evaluate(n_h, xp)
    nspeed = norm(nv, xp)
    mach_est = nspeed / atm_mod.speed_of_sound(ntemp, xp)
    q_est = 0.5 * nrho * nspeed * nspeed
    valid, h_rad, v_rad, rng_max = radar(agl, v, nadir, ref, pax, S["th"], S["the"], p, xp)
    valid = valid & radar_on & active
    n_r, _ = white_noise(p["noise_key"], S["steps"], 0, xp)
    h_rad = h_rad * (1.0 + p["radar_noise"] * n_r * averaging(S["dt_prev"], p["radar_period"], xp))
    fire_lock = valid & (S["locked"] < 0.5)
    locked = xp.where(valid, 1.0, S["locked"])
    h_rad = keep(xp, radar_filter(h_rad, n_agl, S["dt_prev"], p["radar_tau"], fire_lock, xp))
    h_est = xp.where(valid, h_rad, n_agl)
    scale = (dyn.ellipsoid_radius(nr[2] / nrr, xp) + p["nav_ground_elev"] + h_rad) / nrr
    nr = tuple(xp.where(valid, nr[i] * scale, nr[i]) for i in range(3))
    nv = tuple(xp.where(valid, v_rad[i], nv[i]) for i in range(3))
    return Nav(nr, nv, norm(nr, xp), mach_est, q_est, h_est, locked, fire_lock, rng_max)
