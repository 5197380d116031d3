"""Measuring the geoparser against public gold corpora (LGL, GeoVirus): ``python -m geo.eval``."""
