"""Porkchop grid as a Parquet table (one row per cell)."""

from __future__ import annotations

import io
import os

import numpy as np
import pandas as pd

from ..constants import DAY
from ..transfer.porkchop import GRID_FIELDS, PorkchopGrid
from .files import atomic_write_text


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
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    atomic_write_text(path, buf.getvalue())
