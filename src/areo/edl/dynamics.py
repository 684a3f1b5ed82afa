"""3-DOF translational dynamics over the rotating oblate Mars, and the capsule's pitch oscillation.

Frame: Mars body-fixed (x to 0 deg longitude on the equator, z to the north pole), rotating at
``OMEGA_MARS``; positions m, velocities m/s relative to that frame. Gravity: point mass + J2
(``GM_MARS``, ``J2_MARS``, ``R_MARS_EQ``); apparent forces: Coriolis and centrifugal. Altitude is the
height above the IAU reference ellipsoid (``R_MARS_EQ``, ``R_MARS_POLAR``) along the radius (geocentric
approximation, < 1 m error below 150 km for Mars's flattening). All functions take components as separate
arrays and an array module ``xp`` (numpy or jax.numpy).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import GM_MARS, J2_MARS, OMEGA_MARS, R_MARS_EQ, R_MARS_POLAR
from ._fuse import keep

MU = float(GM_MARS)
J2 = float(J2_MARS)
RE = float(R_MARS_EQ)
RP = float(R_MARS_POLAR)
OMEGA = float(OMEGA_MARS)


def gravity(x, y, z, xp=np, j2: float = J2):
    """Gravitational acceleration (point mass + J2), m/s^2, body-fixed components."""
    r2 = x * x + y * y + z * z
    r = xp.sqrt(r2)
    f = MU / (r2 * r)
    k = 1.5 * j2 * RE * RE / r2
    z2 = 5.0 * z * z / r2
    c = 1.0 + k * (1.0 - z2)
    return -f * x * c, -f * y * c, -f * z * (1.0 + k * (3.0 - z2))


def apparent(x, y, vx, vy, xp=np, omega: float = OMEGA):
    """Coriolis + centrifugal acceleration in the frame rotating about z at ``omega``."""
    w2 = omega * omega
    return 2.0 * omega * vy + w2 * x, -2.0 * omega * vx + w2 * y


def ellipsoid_radius(sin_lat, xp=np):
    """Radius of the reference ellipsoid at geocentric latitude with sine ``sin_lat``."""
    cos2 = 1.0 - sin_lat * sin_lat
    return RE * RP / xp.sqrt(RP * RP * cos2 + RE * RE * sin_lat * sin_lat)


def altitude(x, y, z, xp=np):
    r = xp.sqrt(x * x + y * y + z * z)
    return r - ellipsoid_radius(z / r, xp)


def lat_lon(x, y, z, xp=np):
    """Geocentric latitude and east longitude, rad."""
    r = xp.sqrt(x * x + y * y + z * z)
    return xp.arcsin(z / r), xp.arctan2(y, x)


def state_from_entry(altitude_m, lat_rad, lon_rad, speed_inertial_m_s, fpa_inertial_rad, azimuth_rad, xp=np):
    """Body-fixed position and velocity from the entry interface given in the inertial sense (speed and
    flight-path angle relative to a non-rotating frame, azimuth clockwise from north)."""
    sl, cl, so, co = xp.sin(lat_rad), xp.cos(lat_rad), xp.sin(lon_rad), xp.cos(lon_rad)
    r = ellipsoid_radius(sl, xp) + altitude_m
    up = (cl * co, cl * so, sl)
    east = (-so, co, 0.0 * so)
    north = (-sl * co, -sl * so, cl)
    vh = speed_inertial_m_s * xp.cos(fpa_inertial_rad)
    vu = speed_inertial_m_s * xp.sin(fpa_inertial_rad)
    ve, vn = vh * xp.sin(azimuth_rad), vh * xp.cos(azimuth_rad)
    pos = tuple(r * u for u in up)
    vin = tuple(vu * u + ve * e + vn * n for u, e, n in zip(up, east, north))
    # v_rotating = v_inertial - omega x r, omega = (0, 0, OMEGA)
    vel = (vin[0] + OMEGA * pos[1], vin[1] - OMEGA * pos[0], vin[2])
    return pos, vel


def oscillator(theta, omega, dt, omega_n, zeta, xp=np, wd=None):
    """Exact advance of the damped oscillator theta'' + 2 zeta omega_n theta' + omega_n^2 theta = 0 (zeta < 1);
    ``wd`` (optional) is the precomputed damped frequency omega_n sqrt(1 - zeta^2)."""
    sig = zeta * omega_n
    if wd is None:
        wd = omega_n * xp.sqrt(1.0 - zeta * zeta)
    e, c, s = keep(xp, xp.exp(-sig * dt), xp.cos(wd * dt), xp.sin(wd * dt))
    th = e * (theta * c + (omega + sig * theta) / wd * s)
    om = e * (omega * c - (omega_n * omega_n * theta + sig * omega) / wd * s)
    return th, om


DEG = math.pi / 180.0
