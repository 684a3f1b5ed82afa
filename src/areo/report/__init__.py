"""Figures and reports; they read result objects and never call back into the physics."""
