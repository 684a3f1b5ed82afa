"""Six degrees of freedom under the canopy: a rigid 6-DOF capsule (quaternion attitude, full inertia tensor,
static and dynamic aerodynamic moments of a 70-degree sphere-cone), the parachute as a second body on an
elastic riser (or the reduced constrained-pendulum model), a 3-axis IMU with per-axis saturation and the flight
software's persistence flag, the on-board attitude and navigation chain that turns a wrong attitude into a wrong
altitude, and winds and gusts on the parachute system.

Modules: :mod:`.quat` (rotations), :mod:`.aerodb` (coefficient tables), :mod:`.bodies` (equations of motion),
:mod:`.sim` (one step, the numpy reference and the batched JAX kernel), :mod:`.stepcontrol` (step sizes from
the physics, events located), :mod:`.scenario` (the ``[edl.sixdof]`` table of a scenario, declared in :mod:`areo.edl.schema_sixdof`,
to kernel parameters, with the checks that need the flight),
:mod:`.api` (:func:`fly`: one flight by faults and parameter overrides; :func:`run_scenario`: a scenario
case or a dispersed Monte Carlo, behind ``areo edl SCENARIO --dof 6``), :mod:`.montecarlo` (dispersions).
"""

from .api import fly, run_scenario
from .scenario import CALIBRATED, load_6dof
from .sim import RELEASE, RESULT_FIELDS, STATUS, Model6, make_batch_kernel, simulate_reference

__all__ = [
    "CALIBRATED",
    "RELEASE",
    "RESULT_FIELDS",
    "STATUS",
    "Model6",
    "fly",
    "load_6dof",
    "make_batch_kernel",
    "run_scenario",
    "simulate_reference",
]
