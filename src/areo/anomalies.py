"""Anomaly conversions (true, eccentric, hyperbolic, parabolic, mean) for every conic, numpy, any shape.

Angles in radians. Mean anomalies follow H. Curtis, *Orbital Mechanics for Engineering Students* (3rd ed.), ch. 3:

* ellipse (0 <= e < 1): ``M = E - e sin E``, ``tan(nu/2) = sqrt((1+e)/(1-e)) tan(E/2)`` (eqs. 3.14, 3.10b);
* parabola (e = 1): ``M = B/2 + B**3/6`` with ``B = tan(nu/2)`` (Barker's equation, eq. 3.31; lamberthub's
  ``kepler_from_nu`` uses twice this, ``B + B**3/3``);
* hyperbola (e > 1): ``M = e sinh F - F``, ``tanh(F/2) = sqrt((e-1)/(e+1)) tan(nu/2)`` (eqs. 3.40, 3.44b).

Bad input (e < 0, an ellipse function given e >= 1, a true anomaly beyond a hyperbola's asymptotes, non-finite
values) raises :class:`~areo.errors.InputError` naming the first offending element; nothing returns a silent NaN.
Kepler's equation is solved by Newton's method from starts that converge for every e (Danby's for the ellipse,
an upper bound of the root for the hyperbola, where the function is convex), to a few ulps.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt

from .errors import InputError

_MAX_ITER = 60

Floats = npt.NDArray[np.float64]  # float64 arrays (numpy hands back a float64 scalar for scalar input)


def _arrays(*xs: npt.ArrayLike) -> tuple[Floats, ...]:
    return tuple(np.asarray(x, dtype=np.float64) for x in xs)


def _require(ok: npt.ArrayLike, sentence: str) -> None:
    ok = np.asarray(ok)
    if not np.all(ok):
        where = (
            ""
            if ok.ndim == 0
            else f" ({np.count_nonzero(~ok)} of {ok.size}; first at flat index {np.flatnonzero(~ok)[0]})"
        )
        raise InputError(f"{sentence}{where}.")


def _check(angle: Floats, e: Floats, kind: str, angle_name: str) -> None:
    _require(np.isfinite(angle), f"{angle_name} must be finite (radians)")
    if kind == "ellipse":
        _require(
            np.isfinite(e) & (e >= 0) & (e < 1),
            "an elliptic anomaly needs 0 <= e < 1; for e >= 1 use the "
            "hyperbolic (F) or parabolic (B) functions, or true_to_mean / mean_to_true, which choose",
        )
    elif kind == "hyperbola":
        _require(
            np.isfinite(e) & (e > 1),
            "a hyperbolic anomaly needs e > 1; for e <= 1 use the elliptic (E) "
            "or parabolic (B) functions, or true_to_mean / mean_to_true, which choose",
        )
    else:
        _require(np.isfinite(e) & (e >= 0), "the eccentricity e must be finite and >= 0")


def _check_nu_open(nu: Floats, e: Floats) -> None:
    _require(
        (e < 1) | (1.0 + e * np.cos(nu) > 0) & (np.cos(nu / 2) != 0),
        "the true anomaly lies beyond the asymptotes of this open orbit: need 1 + e cos(nu) > 0, "
        "|nu| < arccos(-1/e) (|nu| < pi for a parabola)",
    )


# ----- ellipse ---------------------------------------------------------------------------------------------------
def true_to_eccentric(nu_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Eccentric anomaly E from the true anomaly (ellipse), on the same revolution as ``nu_rad``."""
    nu, e = _arrays(nu_rad, e)
    _check(nu, e, "ellipse", "nu_rad")
    half = np.arctan2(np.sqrt(1 - e) * np.sin(nu / 2), np.sqrt(1 + e) * np.cos(nu / 2))
    return cast(Floats, 2 * half + 2 * np.pi * np.round((nu - 2 * half) / (2 * np.pi)))


def eccentric_to_true(E_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """True anomaly from the eccentric anomaly E (ellipse), on the same revolution as ``E_rad``."""
    E, e = _arrays(E_rad, e)
    _check(E, e, "ellipse", "E_rad")
    half = np.arctan2(np.sqrt(1 + e) * np.sin(E / 2), np.sqrt(1 - e) * np.cos(E / 2))
    return cast(Floats, 2 * half + 2 * np.pi * np.round((E - 2 * half) / (2 * np.pi)))


def eccentric_to_mean(E_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Mean anomaly M = E - e sin E (ellipse)."""
    E, e = _arrays(E_rad, e)
    _check(E, e, "ellipse", "E_rad")
    return E - e * np.sin(E)


def mean_to_eccentric(M_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Eccentric anomaly solving Kepler's equation M = E - e sin E (ellipse), on the same revolution as M."""
    M, e = _arrays(M_rad, e)
    _check(M, e, "ellipse", "M_rad")
    M, e = np.broadcast_arrays(M, e)
    turns = np.round(M / (2 * np.pi))
    m = M - 2 * np.pi * turns  # [-pi, pi]
    E = m + 0.85 * e * np.where(m >= 0, 1.0, -1.0)  # Danby's start: Newton converges from it for every e < 1
    for _ in range(_MAX_ITER):
        step = (E - e * np.sin(E) - m) / (1 - e * np.cos(E))
        E = E - step
        if np.all(np.abs(step) <= 4e-16 * np.maximum(1.0, np.abs(E))):
            break
    return E + 2 * np.pi * turns


# ----- hyperbola -------------------------------------------------------------------------------------------------
def true_to_hyperbolic(nu_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Hyperbolic anomaly F from the true anomaly (e > 1, |nu| below the asymptote)."""
    nu, e = _arrays(nu_rad, e)
    _check(nu, e, "hyperbola", "nu_rad")
    _check_nu_open(nu, e)
    return cast(Floats, 2 * np.arctanh(np.sqrt((e - 1) / (e + 1)) * np.tan(nu / 2)))


def hyperbolic_to_true(F_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """True anomaly from the hyperbolic anomaly F (e > 1)."""
    F, e = _arrays(F_rad, e)
    _check(F, e, "hyperbola", "F_rad")
    return cast(Floats, 2 * np.arctan(np.sqrt((e + 1) / (e - 1)) * np.tanh(F / 2)))


def hyperbolic_to_mean(F_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Hyperbolic mean anomaly M = e sinh F - F."""
    F, e = _arrays(F_rad, e)
    _check(F, e, "hyperbola", "F_rad")
    with np.errstate(over="raise"):
        try:
            return e * np.sinh(F) - F
        except FloatingPointError:
            raise InputError(
                "F_rad is too large: e sinh F overflows a float64 (|F| must stay below about 710)."
            ) from None


def mean_to_hyperbolic(M_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Hyperbolic anomaly F solving M = e sinh F - F (e > 1)."""
    M, e = _arrays(M_rad, e)
    _check(M, e, "hyperbola", "M_rad")
    M, e = np.broadcast_arrays(M, e)
    m = np.abs(M)
    _require(m < 1e300, "|M_rad| must stay below 1e300 for a hyperbola (F is then about 690)")
    # start above the root (two upper bounds: sinh F >= F and sinh F >= F + F^3/6); the function is convex and
    # increasing for F > 0, so Newton then decreases monotonically onto the root
    with np.errstate(over="ignore"):  # 6 m / e may overflow to inf; the other bound is then the smaller
        F = np.minimum(np.cbrt(6 * m / e), np.arcsinh(m / (e - 1)))
    for _ in range(_MAX_ITER):
        step = (e * np.sinh(F) - F - m) / (e * np.cosh(F) - 1)
        step = np.where(F > 0, step, 0.0)
        F = F - step
        if np.all(np.abs(step) <= 4e-16 * np.maximum(1.0, F)):
            break
    return cast(Floats, np.where(M < 0, -F, F))


# ----- parabola --------------------------------------------------------------------------------------------------
def true_to_parabolic(nu_rad: npt.ArrayLike) -> Floats:
    """Parabolic anomaly B = tan(nu/2) (|nu| < pi)."""
    (nu,) = _arrays(nu_rad)
    _require(np.isfinite(nu), "nu_rad must be finite (radians)")
    _check_nu_open(nu, np.ones_like(nu))
    return np.tan(nu / 2)


def parabolic_to_true(B: npt.ArrayLike) -> Floats:
    """True anomaly from the parabolic anomaly B = tan(nu/2)."""
    (b,) = _arrays(B)
    _require(np.isfinite(b), "B must be finite")
    return 2 * np.arctan(b)


def parabolic_to_mean(B: npt.ArrayLike) -> Floats:
    """Parabolic mean anomaly M = B/2 + B**3/6 (Barker; Curtis eq. 3.31)."""
    (b,) = _arrays(B)
    _require(np.isfinite(b), "B must be finite")
    return b / 2 + b**3 / 6


def mean_to_parabolic(M_rad: npt.ArrayLike) -> Floats:
    """Parabolic anomaly B solving Barker's equation M = B/2 + B**3/6 in closed form (Curtis eq. 3.32)."""
    (m,) = _arrays(M_rad)
    _require(np.isfinite(m), "M_rad must be finite")
    _require(np.abs(m) < 1e300, "|M_rad| must stay below 1e300 for a parabola")
    a = np.abs(m)  # odd in M; the positive branch has no cancellation
    w = np.cbrt(3 * a + np.hypot(1.0, 3 * a))
    return cast(Floats, np.sign(m) * (w - 1 / w))


# ----- any conic -------------------------------------------------------------------------------------------------
def true_to_mean(nu_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """Mean anomaly (elliptic, parabolic or hyperbolic as e says) from the true anomaly."""
    nu, e = _arrays(nu_rad, e)
    _check(nu, e, "any", "nu_rad")
    _check_nu_open(nu, e)
    nu, e = np.broadcast_arrays(nu, e)
    out = np.empty(nu.shape)
    ell, par, hyp = e < 1, e == 1, e > 1
    out[ell] = eccentric_to_mean(true_to_eccentric(nu[ell], e[ell]), e[ell])
    out[par] = parabolic_to_mean(true_to_parabolic(nu[par]))
    out[hyp] = hyperbolic_to_mean(true_to_hyperbolic(nu[hyp], e[hyp]), e[hyp])
    return out[()] if out.ndim == 0 else out


def mean_to_true(M_rad: npt.ArrayLike, e: npt.ArrayLike) -> Floats:
    """True anomaly from the mean anomaly (elliptic, parabolic or hyperbolic as e says)."""
    M, e = _arrays(M_rad, e)
    _check(M, e, "any", "M_rad")
    M, e = np.broadcast_arrays(M, e)
    out = np.empty(M.shape)
    ell, par, hyp = e < 1, e == 1, e > 1
    out[ell] = eccentric_to_true(mean_to_eccentric(M[ell], e[ell]), e[ell])
    out[par] = parabolic_to_true(mean_to_parabolic(M[par]))
    out[hyp] = hyperbolic_to_true(mean_to_hyperbolic(M[hyp], e[hyp]), e[hyp])
    return out[()] if out.ndim == 0 else out
