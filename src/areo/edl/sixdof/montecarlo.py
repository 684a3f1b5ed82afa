"""Dispersed 6-DOF runs: per-run parameters from the scenario's dispersions, drawn by name with the 3-DOF Monte
Carlo's scheme (:mod:`areo.edl.montecarlo`: run ``i`` of seed ``s`` draws the same number for a dispersion
name whatever the batch), and the batched kernel run over fixed-size blocks of lanes.

Which dispersions apply: the ``[edl.dispersions]`` keys listed in
:data:`areo.edl.schema_sixdof.SHARED_DISPERSIONS` (entry state, density scale, capsule and parachute drag,
entry mass, IMU and accelerometer errors, thrust, Isp), with the same draws as the 3-DOF Monte Carlo of the same
seed; the gyro bias and scale-factor error on each axis, drawn independently per axis; and the
``[edl.sixdof.dispersions]`` keys (entry angle of attack, steady winds on the parachute system). The 3-DOF
pitch-kick dispersions (misalignment, deploy rate), the density waves, L/D and the wind-profile scale are not
applied: the 6-DOF model computes or lacks those."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import montecarlo as mc
from ..schema import CONVERT
from ..schema_sixdof import SHARED_DISPERSIONS, Dispersions6In

GYRO = {"gyro_bias_deg_s": "gyro_bias", "gyro_scale_factor": "gyro_sf"}
AXES = ("x", "y", "z")


def applied(sigmas: dict, sigmas6: dict) -> list[str]:
    """Names of the dispersions a 6-DOF Monte Carlo applies (non-zero sigma), ``[edl.sixdof.dispersions]`` ones
    prefixed ``sixdof.``."""
    shared = [k for k in SHARED_DISPERSIONS if float(sigmas.get(k, 0.0)) != 0.0]
    return shared + [f"sixdof.{k}" for k, v in sigmas6.items() if float(v) != 0.0]


def sample_params(nominal: dict, sigmas: dict, sigmas6: dict, seed: int, start: int, stop: int) -> dict:
    """Per-run parameter arrays (name -> (n,) float64) of runs ``start .. stop-1``."""
    shared = {k: v for k, v in sigmas.items() if k in SHARED_DISPERSIONS and k not in GYRO}
    p = mc.sample_params(nominal, shared, seed, start, stop)
    for name, param in GYRO.items():
        s = float(sigmas.get(name, 0.0)) * mc.DISPERSION_MAP[name][2]
        if s != 0.0:
            z = mc.draw_normals(seed, start, stop, [f"{name}.{a}" for a in AXES])
            for i in range(3):
                p[f"{param}_{i}"] = p[f"{param}_{i}"] + s * z[:, i]
    fields = Dispersions6In.model_fields
    active = [k for k, v in sigmas6.items() if float(v) != 0.0]
    if active:
        z = mc.draw_normals(seed, start, stop, [f"sixdof.{k}" for k in active])
        for j, k in enumerate(active):
            ex: dict = dict(fields[k].json_schema_extra or {})  # type: ignore[arg-type]
            kp = str(ex["kernel"][0])
            p[kp] = p[kp] + CONVERT[str(ex["si"])](float(sigmas6[k])) * z[:, j]
    return p


def run_blocks(kern, p: dict, lanes: int) -> dict:
    """Outputs (name -> (n,) numpy array) of the batched kernel over blocks of ``lanes`` runs (the last block
    padded with copies of its last run, so that one compiled shape serves every block)."""
    from ..._jax import jnp

    n = len(next(iter(p.values())))
    outs = []
    for a in range(0, n, lanes):
        idx = np.minimum(np.arange(a, a + lanes), n - 1)
        out = kern({k: jnp.asarray(np.asarray(v)[idx]) for k, v in p.items()})
        outs.append({k: np.asarray(v)[: min(lanes, n - a)] for k, v in out.items()})
    return {k: np.concatenate([o[k] for o in outs]) for k in outs[0]}


def model_sha256(nominal: dict, sigmas: dict, sigmas6: dict, model) -> str:
    """SHA-256 of everything a seeded 6-DOF run depends on besides its index and areo's code: the nominal kernel
    parameters, the dispersions and the model (atmospheres, aerodynamic tables, riser model), pickled."""
    items = (sorted(nominal.items()), sorted(sigmas.items()), sorted(sigmas6.items()), model)
    return hashlib.sha256(pickle.dumps(items, protocol=4)).hexdigest()


VECTOR_512 = "--xla_cpu_prefer_vector_width=512"
_CHUNK_KERNELS: dict[str, Any] = {}  # model digest -> jitted kernel: one compile per process, not per chunk


class ChunkTask:
    """Picklable batch function for :func:`areo.campaign.compute_campaign`: the per-run columns of runs
    ``start .. stop-1`` of a seeded 6-DOF Monte Carlo (``columns`` turns the kernel's outputs into them).

    Every chunk goes through the kernel with the same ``lanes`` (the last block padded): XLA's results depend on
    the lane count in the last bits, so a fixed count makes a run's results the same whatever the chunking.

    ``xla_flags``: what a worker process of :mod:`areo.localpool` may add to ``XLA_FLAGS`` for this task without
    changing its results: 512-bit vectors where the lane count is a multiple of 8 (float64 per 512-bit vector; no
    remainder lanes), which XLA otherwise leaves at 256 bits (BENCHMARKS.md: +9-15 %, bit-identical)."""

    def __init__(self, nominal: dict, sigmas: dict, sigmas6: dict, model, seed: int, lanes: int, columns: Callable):
        self.nominal, self.sigmas, self.sigmas6, self.model = nominal, sigmas, sigmas6, model
        self.seed, self.lanes, self.columns = seed, lanes, columns
        self.digest = model_sha256(nominal, sigmas, sigmas6, model)
        self.xla_flags = VECTOR_512 if lanes % 8 == 0 else ""

    def __call__(self, start: int, stop: int) -> dict:
        from .sim import make_batch_kernel

        kern = _CHUNK_KERNELS.get(self.digest)
        if kern is None:
            kern = _CHUNK_KERNELS[self.digest] = make_batch_kernel(self.model)
        p = sample_params(self.nominal, self.sigmas, self.sigmas6, self.seed, start, stop)
        table = self.columns(run_blocks(kern, p, self.lanes))
        table.pop("run", None)  # the campaign adds the run ids
        return table
