"""Writers of standard data files (CCSDS OEM/TDM, CZML, Parquet, JSON); they read result objects only."""
