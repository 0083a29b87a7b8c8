"""Folium map layers built from the results of ``geo/`` (no Streamlit here)."""
