"""Readers of public benchmark file formats (OR-Library p-median, VRPLIB/Solomon)."""
