"""Zipin (自评): fiscal project performance self-evaluation forms, kept as TOML, in the terminal."""

__version__ = "0.1.0"
