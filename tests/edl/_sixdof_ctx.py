"""One-lane flight-software context of the 6-DOF model with the canopy out and nothing saturated (shared by the
6-DOF tests that drive ``bodies.deriv`` directly)."""

import numpy as np


def canopy_ctx(t_deploy: float, quasi: bool = False):
    """``bodies.Ctx`` for one lane under the canopy, deployed at ``t_deploy`` s, no thrust, no gyro flag;
    ``quasi``: the riser held at its rest length (the reduced model)."""
    from areo.edl.sixdof import bodies as B

    return B.Ctx(
        np.array([B.CANOPY]),
        np.array([t_deploy]),
        np.array([0.0]),
        (np.array([False]),) * 3,
        (np.ones(1),) * 3,
        np.array([quasi]),
    )
