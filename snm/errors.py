"""The one error tree: every error the project raises for users is an SNMError with a plain message."""
from __future__ import annotations


class SNMError(Exception):
    """Base of every error with a message for users."""


class InputError(SNMError):
    """An input document or file cannot be read as Arabic text."""


class GazetteerError(SNMError):
    """A gazetteer file is missing, malformed or inconsistent."""


class LayerError(SNMError):
    """A layer table or a user's layer file is missing or malformed."""


class StoreError(SNMError):
    """A store folder that cannot be used as asked."""


class UsageError(SNMError, ValueError):
    """A value given by a user or a caller that cannot be used (a bad date, a negative size)."""


class AssetError(SNMError):
    """A map asset (Leaflet, a plugin, the basemap) is not installed locally."""


class LayerWarning(UserWarning):
    """A user's layer file was used after a repair (e.g. a self-intersecting polygon made valid)."""
