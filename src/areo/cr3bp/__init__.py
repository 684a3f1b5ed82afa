"""The circular restricted three-body problem (CR3BP) and its continuation into the DE421 ephemeris model.

Normalised units inside the CR3BP kernels: the primaries' distance is 1, their mean motion is 1, the mass ratio
is ``mu = m2 / (m1 + m2)``; the larger primary sits at ``(-mu, 0, 0)`` and the smaller at ``(1 - mu, 0, 0)`` in
the rotating (synodic) frame. :class:`System` converts to SI. The user layer is :mod:`areo.cr3bp.api`.

Modules: :mod:`.dynamics` (equations of motion, Jacobi constant, Lagrange points, STM), :mod:`.richardson`
(third-order halo guess, Richardson 1980), :mod:`.halo` (differential correction: a numpy/scipy reference for
one orbit and a batched JAX kernel for a family; stability indices; manifolds), :mod:`.ephemeris` (multiple
shooting in the Sun-Earth-Moon ephemeris model and station-keeping), :mod:`.transfer` (parking orbit to halo).
"""

from .dynamics import System, jacobi, lagrange_points

__all__ = ["System", "jacobi", "lagrange_points"]
