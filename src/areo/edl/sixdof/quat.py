"""Quaternions and rotations on tuples of component arrays (numpy or JAX): scalar first, ``q`` rotates
body-frame vectors into the reference frame (``rot(q, v_body) = v_ref``)."""

from __future__ import annotations


def mul(a, b):
    """Hamilton product a (x) b."""
    a0, a1, a2, a3 = a
    b0, b1, b2, b3 = b
    return (
        a0 * b0 - a1 * b1 - a2 * b2 - a3 * b3,
        a0 * b1 + a1 * b0 + a2 * b3 - a3 * b2,
        a0 * b2 - a1 * b3 + a2 * b0 + a3 * b1,
        a0 * b3 + a1 * b2 - a2 * b1 + a3 * b0,
    )


def dcm(q):
    """Rotation matrix (body to reference) as a 3x3 tuple of rows; ``q`` need not be exactly unit."""
    w, x, y, z = q
    n = w * w + x * x + y * y + z * z
    s = 2.0 / n
    return (
        (1.0 - s * (y * y + z * z), s * (x * y - w * z), s * (x * z + w * y)),
        (s * (x * y + w * z), 1.0 - s * (x * x + z * z), s * (y * z - w * x)),
        (s * (x * z - w * y), s * (y * z + w * x), 1.0 - s * (x * x + y * y)),
    )


def mv(m, v):
    """m v (body to reference with a ``dcm``)."""
    return tuple(m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2] for i in range(3))


def mtv(m, v):
    """m^T v (reference to body with a ``dcm``)."""
    return tuple(m[0][i] * v[0] + m[1][i] * v[1] + m[2][i] * v[2] for i in range(3))


def rate(q, w):
    """dq/dt for body angular velocity ``w`` (rad/s, body axes, relative to the reference frame)."""
    d = mul(q, (0.0 * w[0], w[0], w[1], w[2]))
    return tuple(0.5 * c for c in d)


def normalize(q, xp):
    n = xp.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3])
    return tuple(c / n for c in q)


def from_axes(x_ref, z_hint, xp):
    """Unit quaternion of the body frame whose x axis is the unit vector ``x_ref`` and whose z axis lies in the
    plane of ``x_ref`` and ``z_hint`` (both given in the reference frame)."""
    from .._vec import cross, unit

    y = unit(cross(z_hint, x_ref), xp)
    z = cross(x_ref, y)
    m = ((x_ref[0], y[0], z[0]), (x_ref[1], y[1], z[1]), (x_ref[2], y[2], z[2]))
    return from_dcm(m, xp)


def from_dcm(m, xp):
    """Quaternion of a rotation matrix (Shepperd's method, branch-free form that is exact for proper rotations
    away from the 180-degree singular set of each branch: the largest-diagonal branch is chosen with ``where``)."""
    tr = m[0][0] + m[1][1] + m[2][2]
    cands = (
        (1.0 + tr, m[2][1] - m[1][2], m[0][2] - m[2][0], m[1][0] - m[0][1]),
        (m[2][1] - m[1][2], 1.0 + 2.0 * m[0][0] - tr, m[0][1] + m[1][0], m[0][2] + m[2][0]),
        (m[0][2] - m[2][0], m[0][1] + m[1][0], 1.0 + 2.0 * m[1][1] - tr, m[1][2] + m[2][1]),
        (m[1][0] - m[0][1], m[0][2] + m[2][0], m[1][2] + m[2][1], 1.0 + 2.0 * m[2][2] - tr),
    )
    keys = (tr, m[0][0], m[1][1], m[2][2])
    best = cands[0]
    kbest = keys[0]
    for c, k in zip(cands[1:], keys[1:]):
        pick = k > kbest
        best = tuple(xp.where(pick, c[i], best[i]) for i in range(4))
        kbest = xp.where(pick, k, kbest)
    q = normalize(best, xp)
    s = xp.where(q[0] < 0, -1.0, 1.0)
    return tuple(s * c for c in q)
