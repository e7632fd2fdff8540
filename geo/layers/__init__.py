"""Time-aware map layers: de-escalation zones and areas of control at any date.

    layers = Layers.default()                        # built-in tables in data/conflict
    layers.zones_at(date(2017, 7, 25))               # GeoDataFrame, one row per zone
    layers.control_at(date(2017, 7, 25))             # areas of control
    layers.controller_at(35.95, 39.0, date(2017, 7, 25))   # ("ISIS", basis)
    layers.annotate(df)                              # + zone_ids, controller for rows with lat, lon, date
    layers.with_user_file(path, "add")               # a user's GeoJSON added to (or replacing) them

The layers use the admin units of geo.boundaries; the geoparser never needs the layers.
Command line: `python -m geo.layers` (see geo/layers/__main__.py).
"""
from geo.layers.model import Layers, zone_status
from geo.layers.tables import Controller, as_date, load_controllers

__all__ = ["Controller", "Layers", "as_date", "load_controllers", "zone_status"]
