"""Direct transfer from a low parking orbit to a halo along its stable manifold (CR3BP design).

The stable manifold is followed backward from points of the halo displaced along the stable eigenvector towards
the smaller primary; its first perigee radius is a function of the orbit phase, and the phase at which that
perigee equals the parking-orbit radius gives a single-impulse transfer (the escape burn from the parking orbit,
no insertion burn in the CR3BP; the ephemeris model then needs small corrections).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from .dynamics import accel, propagate
from .halo import Halo, monodromy


@dataclass(frozen=True)
class Transfer:
    phase: float  # normalised time along the halo (from state0) of the insertion point
    perigee_state: np.ndarray  # synodic normalised state at perigee
    tof: float  # normalised time from perigee to the insertion point
    perigee_radius: float  # normalised, from the smaller primary
    insertion_state: np.ndarray  # synodic state on the halo at the insertion point


def _stable_direction(h: Halo):
    ev, vec = np.linalg.eig(monodromy(h))
    return np.real(vec[:, int(np.argmin(np.abs(ev)))])


def _perigee(s, mu: float, duration: float):
    """Lowest perigee (about the smaller primary) backward in time from ``s`` within ``duration``: (time (<0),
    state) or None. (The first distance minimum is usually the halo's own, far from the primary.)"""
    e = np.array([1.0 - mu, 0.0, 0.0])

    def ev(_t, w):
        return float((w[:3] - e) @ w[3:6])

    ev.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(lambda _t, w: accel(w, mu), (0.0, -duration), s, method="DOP853", rtol=1e-11, atol=1e-13, events=ev)
    if sol.t_events[0].size == 0:
        return None
    k = int(np.argmin(np.linalg.norm(sol.y_events[0][:, :3] - e, axis=1)))
    return float(sol.t_events[0][k]), sol.y_events[0][k]


def _manifold_perigee(h: Halo, v0, phase: float, step: float, duration: float):
    s, phi = propagate(h.state0, phase, h.mu, stm=True) if phase > 0 else (h.state0, np.eye(6))
    v = phi @ v0
    v = v / np.linalg.norm(v[:3])
    if (v[0] > 0 and h.point == 2) or (v[0] < 0 and h.point == 1):
        v = -v  # the branch towards the smaller primary
    p = _perigee(s + step * v, h.mu, duration)
    if p is None:
        return np.inf, None, s
    t, sp = p
    return float(np.linalg.norm(sp[:3] - [1.0 - h.mu, 0.0, 0.0])), (t, sp), s


def stable_manifold_transfer(
    h: Halo, perigee_radius: float, *, step: float = 1e-4, n_phase: int = 36, duration: float | None = None
) -> Transfer | None:
    """The stable-manifold trajectory whose first perigee has radius ``perigee_radius`` (normalised); None when no
    phase of the orbit gives it (the manifold does not come that close)."""
    duration = 1.5 * h.period if duration is None else duration
    v0 = _stable_direction(h)
    phases = np.linspace(0.0, h.period, n_phase, endpoint=False)
    rp = np.array([_manifold_perigee(h, v0, p, step, duration)[0] for p in phases]) - perigee_radius
    finite = np.isfinite(rp)
    cands = [i for i in range(n_phase - 1) if finite[i] and finite[i + 1] and rp[i] * rp[i + 1] < 0]
    if not cands:
        return None
    i = min(cands, key=lambda k: min(abs(rp[k]), abs(rp[k + 1])))

    def f(p):
        return _manifold_perigee(h, v0, p, step, duration)[0] - perigee_radius

    ph = brentq(f, phases[i], phases[i + 1], xtol=1e-12)
    r, perigee, s = _manifold_perigee(h, v0, ph, step, duration)
    if perigee is None:  # the root landed on a phase whose manifold has no perigee in ``duration``: none found
        return None
    t, sp = perigee
    return Transfer(float(ph), sp, -t, r, s)
