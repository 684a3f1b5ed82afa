"""Porkchop grid as a Parquet table (one row per cell)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ..constants import DAY
from ..transfer.porkchop import GRID_FIELDS, PorkchopGrid


def grid_table(grid: PorkchopGrid) -> pd.DataFrame:
    nd, na = grid.shape
    dep = np.repeat(grid.depart_tdb_s, na)
    arr = np.tile(grid.arrive_tdb_s, nd)
    cols = {
        "depart_tdb_s": dep,
        "arrive_tdb_s": arr,
        "depart_jd_tdb": 2451545.0 + dep / DAY,
        "arrive_jd_tdb": 2451545.0 + arr / DAY,
    }
    for k in GRID_FIELDS:
        cols[k] = np.asarray(getattr(grid, k)).ravel()
    return pd.DataFrame(cols)


def write_grid_parquet(grid: PorkchopGrid, path: str | os.PathLike[str]) -> None:
    table = grid_table(grid)
    table.attrs = {}
    table.to_parquet(path, index=False)
