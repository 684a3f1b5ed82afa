"""User layer of the 6-DOF model: fly named faults of the shipped (or a given) 6-DOF scenario through the batched
kernel and return per-run results in SI units (angles in rad), with the status names."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import InputError
from .scenario import load_6dof
from .sim import STATUS, make_batch_kernel

_KERNELS: dict = {}


def fly(faults=(), path: str | Path | None = None, pendulum: bool = False, **overrides: float) -> dict:
    """One 6-DOF flight: results (``RESULT_FIELDS`` and events) as floats, plus ``status_name``.
    ``overrides`` set kernel parameters by name (SI), e.g. ``flag_hold=0.015``."""
    from ..._jax import jnp

    p, model = load_6dof(list(faults), path=path, pendulum=pendulum)
    unknown = sorted(set(overrides) - set(p))
    if unknown:
        raise InputError(f"unknown 6-DOF parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(p))}")
    p.update({k: float(v) for k, v in overrides.items()})
    key = (path, pendulum)
    if key not in _KERNELS:
        _KERNELS[key] = (model, make_batch_kernel(model))
    _, kern = _KERNELS[key]
    out = kern({k: jnp.asarray([v]) for k, v in p.items()})
    res: dict[str, float | str] = {k: float(np.asarray(v)[0]) for k, v in out.items()}
    res["status_name"] = STATUS[int(float(np.asarray(out["status"])[0]))]
    return res
