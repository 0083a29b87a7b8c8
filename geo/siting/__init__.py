"""Site finder for new reprocessing technology (filled in as modules land)."""
