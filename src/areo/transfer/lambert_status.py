"""Status codes of the Lambert solvers (shared by the JAX kernel and the numpy reference)."""

from __future__ import annotations

import enum

# |sin(transfer angle)| below this: the transfer plane is undefined (0 or 180 degree transfer).
DEGENERATE_SIN_ANGLE = 1e-10
# A transfer plane whose unit normal has |z| below this contains the z axis (to rounding): "prograde" is then
# undefined and both solvers take the short way (no flip), so the kernel and the reference agree
POLAR_PLANE_Z = 1e-12


class LambertStatus(enum.IntEnum):
    """Per-problem outcome. Velocities are NaN wherever the status is not ``OK``."""

    OK = 0
    NO_SOLUTION = 1
    DEGENERATE = 2
    BAD_INPUT = 3
    NOT_CONVERGED = 4

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    LambertStatus.OK: "converged",
    LambertStatus.NO_SOLUTION: "no solution with this many revolutions: the time of flight is shorter than the "
    "minimum for that number of revolutions; ask for fewer revolutions or a longer time of flight",
    LambertStatus.DEGENERATE: "degenerate geometry: r1 and r2 are (anti-)parallel (0 or 180 degree transfer), "
    "so the transfer plane is undefined; move one end point slightly out of line",
    LambertStatus.BAD_INPUT: "bad input: positions must be finite and non-zero, time of flight and mu positive, "
    "revolutions a non-negative integer",
    LambertStatus.NOT_CONVERGED: "the iteration did not converge; please report this problem",
}
