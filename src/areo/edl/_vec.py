"""3-vectors as tuples of component arrays (numpy or JAX): the layout every EDL kernel module uses."""

from __future__ import annotations


def norm(a, xp):
    return xp.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])


def unit(a, xp):
    n = norm(a, xp)
    n = xp.where(n > 0, n, 1.0)
    return (a[0] / n, a[1] / n, a[2] / n)


def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
