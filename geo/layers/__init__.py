"""Time-aware map layers: de-escalation zones and areas of control at any date.

    layers = Layers.default()                        # built-in tables in data/conflict
    layers.zones_at(date(2017, 7, 25))               # GeoDataFrame, one row per zone (following control)
    layers.control_at(date(2017, 7, 25))             # sub-districts (kind 'area') and places ('town')
    layers.controller_at(35.95, 39.0, date(2017, 7, 25))   # ("ISIS", basis)
    layers.annotate(df)                              # + zone_ids, controller (lat, lon, date[, level, kind])
    layers.with_user_file(path, "add")               # a user's GeoJSON added to (or replacing) them
    layers.controllers                               # the legend: code -> names, colour

Control is painted on the OCHA sub-districts of data/boundaries/admin3.geojson (read by
geo/layers/units.py, once per Layers object): each place decides the land within its reach
(geo/layers/control.py), the rest of a large unit is UNKNOWN. The geoparser never needs the layers.
Command line: `python -m geo.layers` (see geo/layers/__main__.py).
"""
from geo.layers.control import CONTESTED, UNKNOWN
from geo.layers.model import AREA_LEVELS, POINT_LEVELS, ZONE_PARTIES, Layers, zone_status
from geo.layers.tables import Controller, as_date, load_controllers

__all__ = ["AREA_LEVELS", "CONTESTED", "POINT_LEVELS", "UNKNOWN", "ZONE_PARTIES", "Controller", "Layers",
           "as_date", "load_controllers", "zone_status"]
