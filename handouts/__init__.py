"""Personalized large-print physical-therapy handouts for people living with ALS."""

__version__ = "0.1.0"
