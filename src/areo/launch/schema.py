"""The launcher catalogue's TOML schema (pydantic): one ``[sites.NAME]`` table per launch site and one
``[launchers.NAME]`` table per launch vehicle, every number with its source.

A user adds or replaces launchers with a file of the same shape; errors name the table, the key, the value and
what is allowed.
"""

from __future__ import annotations

import itertools
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    # strict: no "no" for false, no number for a text; finite numbers only (a NaN would pass every range check)
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class SiteIn(_Strict):
    """A launch site: latitude and the parking-orbit inclinations its drop zones allow."""

    title: str = ""
    latitude_deg: float = Field(..., ge=-90, le=90)
    longitude_deg: float | None = Field(
        None, ge=-360, le=360, description="east longitude (deg); sets the time of day of lift-off; without it none"
    )
    inclinations_deg: list[float] = Field(..., min_length=1, description="allowed parking-orbit inclinations")
    source: str = Field(..., min_length=1)

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        lat = abs(self.latitude_deg)
        bad = [i for i in self.inclinations_deg if not lat <= i <= 180.0 - lat]
        if bad:
            raise ValueError(
                f"inclinations {bad} deg cannot be flown from latitude {self.latitude_deg} deg without a dog-leg: "
                f"a direct ascent reaches {lat:g} to {180 - lat:g} deg"
            )
        return self


class LauncherIn(_Strict):
    """A launch vehicle: its escape-performance table (payload mass vs C3) and its parking orbits."""

    title: str
    site: str
    parking_inclinations_deg: list[float] = Field(..., min_length=1)
    parking_altitude_km: float = Field(200.0, gt=100, lt=2000)
    max_coast_min: float = Field(..., gt=0, lt=10_000)
    c3_km2_s2: list[float] = Field(..., min_length=2)
    payload_kg: list[float] = Field(..., min_length=2)
    estimate: bool = False
    source: str = Field(..., min_length=1)

    @field_validator("c3_km2_s2")
    @classmethod
    def _increasing(cls, v: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(v)):
            raise ValueError("c3_km2_s2 must be strictly increasing")
        if v[0] < -20.0 or v[-1] > 500.0:
            raise ValueError("c3_km2_s2 must lie within -20..500 km^2/s^2")
        return v

    @field_validator("payload_kg")
    @classmethod
    def _positive(cls, v: list[float]) -> list[float]:
        if any(m <= 0 for m in v):
            raise ValueError("payload_kg values must be positive")
        return v

    @model_validator(mode="after")
    def _same_length(self) -> Self:
        if len(self.c3_km2_s2) != len(self.payload_kg):
            raise ValueError(
                f"c3_km2_s2 has {len(self.c3_km2_s2)} points but payload_kg has {len(self.payload_kg)}; "
                "give one payload per C3"
            )
        return self


class CatalogueIn(_Strict):
    sites: dict[str, SiteIn] = {}
    launchers: dict[str, LauncherIn] = {}
