"""Sensor models (xp-generic: numpy or JAX; vectors as tuples of component arrays).

IMU
    Gyro (pitch axis): measured = clip((1 + scale_factor) * rate + bias, -limit, +limit), plus angle random
    walk in the integrated attitude; accelerometers add velocity random walk. Noise comes from a
    counter-based generator (:func:`white_noise`) keyed by run and step, identical in numpy and JAX.
Radar altimeter
    Four beams canted by ``beam_cant_deg`` around the capsule axis (see :func:`radar`); the samples taken
    during a step are averaged (:func:`averaging`) and blended with the inertial altitude
    (:func:`radar_filter`) by the navigation.
"""

from __future__ import annotations

import math

import numpy as np

from ._fuse import keep
from ._vec import cross, dot

# ---- sensor models (xp-generic, components as separate arrays) ----


def _hash32(x, xp):
    """lowbias32 integer hash (C. Wellons): identical in numpy and JAX, so noise is reproducible bit for bit."""
    x = x ^ (x >> 16)
    x = x * xp.uint32(0x7FEB352D)
    x = x ^ (x >> 15)
    x = x * xp.uint32(0x846CA68B)
    return x ^ (x >> 16)


def white_noise(key, counter, stream: int, xp=np):
    """Two independent standard normal draws per run for step ``counter`` and noise ``stream`` (Box-Muller on
    counter-based hashes of the run's ``key``): sensor noise that depends only on (run, step)."""
    return keep(xp, *_box_muller(key, counter, stream, xp))


def white_noises(key, counter, streams, xp=np, used=None):
    """:func:`white_noise` of each of ``streams``, flattened (two draws per stream, the same values), materialised
    together in the JAX CPU kernel (one :func:`areo.edl._fuse.keep` loop instead of one per stream). Where
    ``used`` (bool array) is false the draws are 0 (runs that discard them: their log, cos and sin take libm's
    fast paths)."""
    return keep(xp, *(n for s in streams for n in _box_muller(key, counter, s, xp, used)))


def _box_muller(key, counter, stream: int, xp, used=None):
    k = key.astype(xp.uint32) if hasattr(key, "astype") else xp.uint32(key)
    c = counter.astype(xp.uint32)
    x = k ^ (c * xp.uint32(0x9E3779B1) + xp.uint32((0x85EBCA77 * (stream + 1)) & 0xFFFFFFFF))
    a = _hash32(x, xp)
    b = _hash32(x ^ xp.uint32(0x68E31DA4), xp)
    u1 = (a.astype(xp.float64) + 0.5) / 4294967296.0
    u2 = (b.astype(xp.float64) + 0.5) / 4294967296.0
    if used is not None:  # r = sqrt(-2 log 1) = 0, cos(0), sin(0)
        u1, u2 = xp.where(used, u1, 1.0), xp.where(used, u2, 0.0)
    r = xp.sqrt(-2.0 * xp.log(u1))
    return r * xp.cos(2.0 * math.pi * u2), r * xp.sin(2.0 * math.pi * u2)


def averaging(dt, period, xp=np):
    """Noise reduction of a measurement that averages a sensor's samples (one per ``period``, s) over a step
    ``dt``: sqrt(period / dt), at most 1; ``period`` = 0 means one sample per step (factor 1)."""
    return xp.where(period > 0, xp.sqrt(period / xp.maximum(dt, xp.where(period > 0, period, 1.0))), 1.0)


def radar_filter(h_meas, h_nav, dt, tau, acquire, xp=np):
    """On-board altitude from a radar measurement ``h_meas`` and the inertially propagated altitude ``h_nav``:
    a first-order complementary filter with time constant ``tau`` (s) over the ``dt`` since the last update,
    gain 1 - exp(-dt / tau); ``tau`` = 0 or the first measurement after lock (``acquire``) take the
    measurement as it is."""
    gain = xp.where((tau > 0) & ~acquire, -xp.expm1(-dt / xp.where(tau > 0, tau, 1.0)), 1.0)
    return h_nav + gain * (h_meas - h_nav)


def gyro(rate, p, xp=np):
    """(raw, measured, saturated) pitch rates of the gyro for true ``rate`` (rad/s)."""
    raw = rate * (1.0 + p["gyro_sf"]) + p["gyro_bias"]
    lim = p["gyro_limit"]
    return raw, xp.clip(raw, -lim, lim), xp.abs(raw) >= lim


def rotate(v, axis, angle, xp=np, cos_sin=None):
    """Rodrigues rotation of vector ``v`` about unit ``axis`` by ``angle`` (or given (cos, sin))."""
    c, s = keep(xp, xp.cos(angle), xp.sin(angle)) if cos_sin is None else cos_sin
    kxv = cross(axis, v)
    kd = dot(axis, v)
    return tuple(v[i] * c + kxv[i] * s + axis[i] * kd * (1.0 - c) for i in range(3))


_PHI = (0.0, 0.5 * math.pi, math.pi, 1.5 * math.pi)  # beam azimuths around the capsule axis


def capsule_frame(ref, pitch_axis, theta, xp=np):
    """Capsule axis ``a`` (``ref`` rotated by ``theta`` about ``pitch_axis``) and ``e1 = pitch_axis x a``;
    with ``e2 = pitch_axis`` they are the frame in which beam k points along
    cos(cant) a + sin(cant) (cos phi_k e1 + sin phi_k e2)."""
    a = rotate(ref, pitch_axis, theta, xp)
    return a, cross(pitch_axis, a)


def radar(agl_m, v, nadir, ref, pitch_axis, theta_true, theta_est, p, xp=np):
    """Radar measurements and the navigation's use of them.

    Returns (valid, h_est, v_est, longest slant range): ``valid`` when all four beams return. Altitude: the
    distance from the vehicle to the plane through the four beam footprints (body frame; exact over flat ground
    whatever the attitude), counted positive on the side where the *estimated* attitude puts the ground, so an
    attitude error beyond 90 degrees gives a negative altitude (the failure mode a scenario's IMU-saturation case shows); before, the slant
    ranges were projected on the estimated nadir, which biased the altitude by ~1-2 % after a gyro saturation
    left a few degrees of attitude error (issue 10: release up to ~25 m above the command). Ground-relative
    velocity from the Dopplers with the *estimated* beam directions. With four beams at
    azimuths 0, 90, 180, 270 deg the least-squares velocity from the Dopplers d_k = v . b_k is exactly
    (v . a) a' + (v . e1) e1' + (v . e2) e2 (primes: estimated frame), which is what is computed."""
    cb, sb = (
        (p["radar_cos_cant"], p["radar_sin_cant"])
        if "radar_cos_cant" in p
        else (xp.cos(p["radar_cant"]), xp.sin(p["radar_cant"]))
    )
    a, e1 = capsule_frame(ref, pitch_axis, theta_true, xp)
    a_e, e1_e = capsule_frame(ref, pitch_axis, theta_est, xp)
    aD, e1D, e2D = dot(a, nadir), dot(e1, nadir), dot(pitch_axis, nadir)
    aeD, e1eD = dot(a_e, nadir), dot(e1_e, nadir)
    valid = agl_m > 0.0
    rng_max = 0.0 * agl_m
    rngs = []
    for phi in _PHI:
        cp, sp = round(math.cos(phi), 15), round(math.sin(phi), 15)
        cos_n = cb * aD + sb * (cp * e1D + sp * e2D)  # true beam . nadir
        ok_geom = cos_n > p["radar_cos_max_off"]
        rng = agl_m / xp.where(ok_geom, cos_n, 1.0)
        valid = valid & ok_geom & (rng <= p["radar_max_range"])
        rng_max = xp.maximum(rng_max, xp.where(ok_geom, rng, 1e30))
        rngs.append(rng)
    h_est = _footprint_plane_distance(rngs, cb, sb, (e1eD, e2D, aeD), xp)
    va, ve1, ve2 = dot(v, a), dot(v, e1), dot(v, pitch_axis)
    vel = tuple(va * a_e[i] + ve1 * e1_e[i] + ve2 * pitch_axis[i] for i in range(3))
    valid = valid & (p["radar_fail"] < 0.5)
    return valid, h_est, vel, rng_max


def _footprint_plane_distance(rngs, cb, sb, nadir_est_body, xp):
    """Distance from the vehicle to the plane through the footprints p_k = r_k b_k of the four beams (body
    frame (e1, e2, a), beam k along (sb cos phi_k, sb sin phi_k, cb)): the plane's normal is the cross
    product of its diagonals p2 - p0 and p3 - p1, the distance that normal's product with the footprints'
    centroid, signed by the side of the estimated nadir ``nadir_est_body``."""
    r0, r1, r2, r3 = rngs
    A, B = -sb * (r0 + r2), cb * (r2 - r0)  # p2 - p0 = (A, 0, B)
    C, D = -sb * (r1 + r3), cb * (r3 - r1)  # p3 - p1 = (0, C, D)
    n = (-B * C, -A * D, A * C)
    c = (0.25 * sb * (r0 - r2), 0.25 * sb * (r1 - r3), 0.25 * cb * (r0 + r1 + r2 + r3))  # centroid
    nn = xp.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2])
    side = xp.where(dot(n, nadir_est_body) < 0.0, -1.0, 1.0)
    return side * dot(n, c) / nn
