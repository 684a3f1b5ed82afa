"""Interplanetary transfers: Lambert's problem and porkchop grids."""
