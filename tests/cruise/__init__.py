"""Tests of areo.cruise and the OEM/CZML writers."""
