from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "src" / "areo" / "scenarios" / "exomars2016.toml"


@pytest.fixture(scope="session")
def scenario():
    from areo.edl.scenario import load_edl_scenario

    return load_edl_scenario(SCENARIO)


@pytest.fixture(scope="session")
def model(scenario):
    return scenario.model()


@pytest.fixture(scope="session")
def nominal_run(scenario, model):
    from areo.edl.simulate import simulate_reference

    return simulate_reference(scenario.to_params(scenario.faults_for("nominal")), model)


@pytest.fixture(scope="session")
def as_flown_run(scenario, model):
    from areo.edl.simulate import simulate_reference

    return simulate_reference(scenario.to_params(scenario.faults_for("as-flown")), model)
