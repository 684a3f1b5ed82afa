"""Richardson's third-order approximation of halo orbits about L1/L2 (Richardson 1980, "Analytic construction of
periodic orbits about the collinear points", Celestial Mechanics 22, 241-253), used as the first guess of the
differential correction. Coefficient names follow the paper (c_n, lambda, k, a_ij, b_ij, d_ij, s_i, l_i)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from .dynamics import gamma


@dataclass(frozen=True)
class Coefficients:
    point: int
    mu: float
    gamma: float
    c2: float
    c3: float
    c4: float
    lam: float
    k: float
    delta: float
    a: dict[str, float]
    s1: float
    s2: float
    l1: float
    l2: float


def _c(n: int, mu: float, g: float, point: int) -> float:
    if point == 1:
        return cast(float, (mu + (-1) ** n * (1 - mu) * g ** (n + 1) / (1 - g) ** (n + 1)) / g**3)
    return cast(float, ((-1) ** n * mu + (-1) ** n * (1 - mu) * g ** (n + 1) / (1 + g) ** (n + 1)) / g**3)


def coefficients(mu: float, point: int) -> Coefficients:
    g = gamma(mu, point)
    c2, c3, c4 = (_c(n, mu, g, point) for n in (2, 3, 4))
    lam = float(np.sqrt(0.5 * (2 - c2 + np.sqrt((c2 - 2) ** 2 + 4 * (c2 - 1) * (1 + 2 * c2)))))
    k = 2 * lam / (lam**2 + 1 - c2)
    delta = lam**2 - c2
    d1 = 3 * lam**2 / k * (k * (6 * lam**2 - 1) - 2 * lam)
    d2 = 8 * lam**2 / k * (k * (11 * lam**2 - 1) - 2 * lam)
    a21 = 3 * c3 * (k**2 - 2) / (4 * (1 + 2 * c2))
    a22 = 3 * c3 / (4 * (1 + 2 * c2))
    a23 = -3 * c3 * lam / (4 * k * d1) * (3 * k**3 * lam - 6 * k * (k - lam) + 4)
    a24 = -3 * c3 * lam / (4 * k * d1) * (2 + 3 * k * lam)
    b21 = -3 * c3 * lam / (2 * d1) * (3 * k * lam - 4)
    b22 = 3 * c3 * lam / d1
    d21 = -c3 / (2 * lam**2)
    w = 9 * lam**2 + 1 - c2
    a31 = -9 * lam / (4 * d2) * (4 * c3 * (k * a23 - b21) + k * c4 * (4 + k**2)) + w / (2 * d2) * (
        3 * c3 * (2 * a23 - k * b21) + c4 * (2 + 3 * k**2)
    )
    a32 = (
        -1 / d2 * (9 * lam / 4 * (4 * c3 * (k * a24 - b22) + k * c4) + 1.5 * w * (c3 * (k * b22 + d21 - 2 * a24) - c4))
    )
    v = 9 * lam**2 + 1 + 2 * c2
    b31 = (
        3
        / (8 * d2)
        * (
            8 * lam * (3 * c3 * (k * b21 - 2 * a23) - c4 * (2 + 3 * k**2))
            + v * (4 * c3 * (k * a23 - b21) + k * c4 * (4 + k**2))
        )
    )
    b32 = 1 / d2 * (9 * lam * (c3 * (k * b22 + d21 - 2 * a24) - c4) + 3 / 8 * v * (4 * c3 * (k * a24 - b22) + k * c4))
    d31 = 3 / (64 * lam**2) * (4 * c3 * a24 + c4)
    d32 = 3 / (64 * lam**2) * (4 * c3 * (a23 - d21) + c4 * (4 + k**2))
    den = 2 * lam * (lam * (1 + k**2) - 2 * k)
    s1 = (
        1.5 * c3 * (2 * a21 * (k**2 - 2) - a23 * (k**2 + 2) - 2 * k * b21) - 3 / 8 * c4 * (3 * k**4 - 8 * k**2 + 8)
    ) / den
    s2 = (1.5 * c3 * (2 * a22 * (k**2 - 2) + a24 * (k**2 + 2) + 2 * k * b22 + 5 * d21) + 3 / 8 * c4 * (12 - k**2)) / den
    a1 = -1.5 * c3 * (2 * a21 + a23 + 5 * d21) - 3 / 8 * c4 * (12 - k**2)
    a2 = 1.5 * c3 * (a24 - 2 * a22) + 9 / 8 * c4
    a = dict(a21=a21, a22=a22, a23=a23, a24=a24, b21=b21, b22=b22, d21=d21, a31=a31, a32=a32, b31=b31, b32=b32)
    a.update(d31=d31, d32=d32)
    return Coefficients(point, mu, g, c2, c3, c4, lam, k, delta, a, s1, s2, a1 + 2 * lam**2 * s1, a2 + 2 * lam**2 * s2)


def ax_of_az(rc: Coefficients, az: float) -> float:
    """In-plane amplitude Ax (normalised) of the halo with out-of-plane amplitude ``az`` (normalised); NaN below
    the bifurcation (no halo there)."""
    azg = az / rc.gamma
    ax2 = -(rc.l2 * azg**2 + rc.delta) / rc.l1
    return float(np.sqrt(ax2)) * rc.gamma if ax2 >= 0 else float("nan")


def halo_state(rc: Coefficients, az: float, tau1: float = 0.0, northern: bool = True) -> tuple[np.ndarray, float]:
    """Third-order state (6,) in the synodic frame at phase ``tau1`` and the third-order period (normalised)."""
    g, lam, k, c = rc.gamma, rc.lam, rc.k, rc.a
    azg = az / g
    ax = ax_of_az(rc, az) / g
    dn = 1.0 if northern else -1.0
    nu = 1 + rc.s1 * ax**2 + rc.s2 * azg**2
    w = lam * nu
    ct, st = np.cos(tau1), np.sin(tau1)
    c2t, s2t = np.cos(2 * tau1), np.sin(2 * tau1)
    c3t, s3t = np.cos(3 * tau1), np.sin(3 * tau1)
    x = c["a21"] * ax**2 + c["a22"] * azg**2 - ax * ct + (c["a23"] * ax**2 - c["a24"] * azg**2) * c2t
    x += (c["a31"] * ax**3 - c["a32"] * ax * azg**2) * c3t
    y = k * ax * st + (c["b21"] * ax**2 - c["b22"] * azg**2) * s2t + (c["b31"] * ax**3 - c["b32"] * ax * azg**2) * s3t
    z = dn * (azg * ct + c["d21"] * ax * azg * (c2t - 3) + (c["d32"] * azg * ax**2 - c["d31"] * azg**3) * c3t)
    vx = w * (
        ax * st
        - 2 * (c["a23"] * ax**2 - c["a24"] * azg**2) * s2t
        - 3 * (c["a31"] * ax**3 - c["a32"] * ax * azg**2) * s3t
    )
    vy = w * (
        k * ax * ct
        + 2 * (c["b21"] * ax**2 - c["b22"] * azg**2) * c2t
        + 3 * (c["b31"] * ax**3 - c["b32"] * ax * azg**2) * c3t
    )
    vz = w * dn * (-azg * st - 2 * c["d21"] * ax * azg * s2t - 3 * (c["d32"] * azg * ax**2 - c["d31"] * azg**3) * s3t)
    x0 = (1 - rc.mu - g) if rc.point == 1 else (1 - rc.mu + g)
    # Richardson's x axis points from the L point away from the smaller primary for L1 ... here: same as synodic
    sx = 1.0
    state = np.array([x0 + sx * g * x, sx * g * y, g * z, sx * g * vx, sx * g * vy, g * vz])
    return state, 2 * np.pi / w
