"""Fixtures for the ground-segment tests: skyfield (the authority for apparent places) on DE421, offline."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def sky():
    from skyfield.api import load_file

    from areo.ephem import de421_path
    from areo.time import timescale

    eph = load_file(de421_path())
    yield timescale(), eph
    eph.close()
