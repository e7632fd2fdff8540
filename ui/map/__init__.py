"""The dashboard's map, one job per module (as folium keeps one element per plugin module):

- `styles`: colours, class breaks, sizes; `css`: the map page's stylesheet
- `encode`: script-safe JSON, base64 data, simplified GeoJSON
- `elements`: the folium elements (GeoJSON with popups, place cluster, legend dock, layer
  state, labels, search box, URL mirror)
- `popups`, `legends`: escaped HTML for area popups (sources as links) and legend bodies
- `places`: places as marker rows, search keys; `labels`: basemap labels from the gazetteer
- `builders`: the base map and the swappable data layers
"""
