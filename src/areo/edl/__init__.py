"""Entry, descent and landing: Mars atmosphere, blunt-capsule vehicles, parachutes, retro-rockets, sensors,
on-board navigation and flight software with fault injection; one run (numpy reference) or batched Monte
Carlo (JAX float64, CPU or GPU), campaigns on Dask via :mod:`areo.campaign`.

    >>> from areo import edl
    >>> run = edl.simulate_scenario("exomars2016", case="as-flown")
    >>> run.status, run.to_json()["touchdown_speed_km_h"]
    >>> mc = edl.monte_carlo("exomars2016", runs=10_000, seed=1)
"""

from .api import EDLChunkTask, EDLRun, MonteCarloResult, load, monte_carlo, simulate_scenario, write_plots
from .atmosphere import GlennMarsAtmosphere, MarsAtmosphere, TabulatedAtmosphere, make_atmosphere, speed_of_sound
from .gnc import FAULTS
from .montecarlo import landing_ellipse, run_batch, sample_params, wilson_interval
from .scenario import EDLScenario, load_edl_scenario, parse_edl
from .simulate import BUILTIN_EVENTS, STATUS, Model, make_batch_kernel, simulate_reference

__all__ = [
    "BUILTIN_EVENTS",
    "FAULTS",
    "STATUS",
    "EDLChunkTask",
    "EDLRun",
    "EDLScenario",
    "GlennMarsAtmosphere",
    "MarsAtmosphere",
    "Model",
    "MonteCarloResult",
    "TabulatedAtmosphere",
    "landing_ellipse",
    "load",
    "load_edl_scenario",
    "make_atmosphere",
    "make_batch_kernel",
    "monte_carlo",
    "parse_edl",
    "run_batch",
    "sample_params",
    "simulate_reference",
    "simulate_scenario",
    "speed_of_sound",
    "wilson_interval",
    "write_plots",
]
