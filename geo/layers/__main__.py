"""Command line of geo.layers: zones and control at a date, a point's zones, governorates."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from snm import cli
from snm.errors import LayerWarning, UsageError

USAGE_EXAMPLES = """examples:
  python -m geo.layers --date 2017-07-25                 zones and control (GeoJSON)
  python -m geo.layers --point 33.57,36.40 --date 2017-07-25
  python -m geo.layers --boundaries                      governorate polygons (GeoJSON)
  python -m geo.layers --date 2018-01-01 --user my.geojson --mode replace

A user file is a GeoJSON FeatureCollection; each feature has a 'zone' or a 'controller'
property and optional 'valid_from' / 'valid_to' (YYYY-MM-DD, valid_to exclusive).
--mode add keeps the built-in layers (user polygons override the sub-districts they cover,
user points join the places of their sub-district); --mode replace drops the built-in zones if
the file has zones, and the built-in places if it has controller features (sub-districts no
user feature decides are then UNKNOWN). A self-intersecting polygon is repaired with
shapely.make_valid and a warning is printed (exit code 3)."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed command line (argparse exits with code 2 on syntax errors)."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.layers", description="De-escalation zones and areas of control at a date.",
        epilog=USAGE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--date", help="the date, YYYY-MM-DD (default for --point: today)")
    parser.add_argument("--point", metavar="LAT,LON", help="print the zones and controller at a point")
    parser.add_argument("--boundaries", action="store_true", help="print the governorate polygons")
    parser.add_argument("--user", metavar="FILE", help="a GeoJSON file of zones and/or control")
    parser.add_argument("--mode", choices=("add", "replace"), default="add",
                        help="how the user file combines with the built-in layers (default add)")
    return parser.parse_args(argv)


def parse_date(text: str) -> dt.date:
    """An ISO date from the command line."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, not {text!r}") from None


def parse_point(text: str) -> tuple[float, float]:
    """(lat, lon) from 'LAT,LON'."""
    parts = text.replace(" ", "").split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"--point must be LAT,LON in decimal degrees, e.g. 33.57,36.40; not {text!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise UsageError(f"--point is out of range: latitude {lat}, longitude {lon}")
    return lat, lon


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, NaN and NaT as null."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    try:
        if value != value:  # pandas NA/NaT
            return None
    except (TypeError, ValueError):
        pass
    return value


def features(frame: gpd.GeoDataFrame, layer: str) -> list[dict[str, Any]]:
    """GeoJSON features of a layer frame, each tagged with its layer name."""
    props = [c for c in frame.columns if c != frame.geometry.name]
    return [{"type": "Feature",
             "properties": {"layer": layer, **{c: _plain(row[c]) for c in props}},
             "geometry": mapping(row[frame.geometry.name])}
            for _, row in frame.iterrows() if row[frame.geometry.name] is not None]


def run(args: argparse.Namespace) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The JSON document the command line asked for, and the notes on repaired user input."""
    from geo.layers import Layers

    if args.boundaries:
        from geo import boundaries

        govs = boundaries.governorates()[["admin1", "admin1_pcode", "name_ar", "name_en", "geometry"]]
        return {"type": "FeatureCollection", "features": features(govs, "governorate")}, ()
    if not args.date and not args.point:
        raise UsageError("give --date, --point or --boundaries (see --help)")
    layers = Layers.default()
    notes: tuple[str, ...] = ()
    if args.user:
        with warnings.catch_warnings():  # the notes are printed once, below
            warnings.simplefilter("ignore", LayerWarning)
            layers = layers.with_user_file(args.user, args.mode)
        notes = layers.notes
    day = parse_date(args.date) if args.date else dt.date.today()
    if args.point:
        lat, lon = parse_point(args.point)
        code, basis = layers.controller_at(lat, lon, day)
        return {"date": day.isoformat(), "lat": lat, "lon": lon,
                "zones": layers.zone_ids_at(lat, lon, day), "controller": code, "basis": basis}, notes
    return {"type": "FeatureCollection", "date": day.isoformat(),
            "features": features(layers.zones_at(day), "zone") + features(layers.control_at(day), "control")
            }, notes


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (exit codes: snm.cli; bad input is 1, with one line on stderr;
    3 when a user file was used after a repair, each note on stderr)."""
    args = parse_args(argv)

    def body() -> int:
        doc, notes = run(args)
        json.dump(doc, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
        for note in notes:
            print(f"warning: {note}", file=sys.stderr)
        return cli.WARNINGS if notes else cli.OK

    return cli.run(body)


if __name__ == "__main__":
    sys.exit(main())
