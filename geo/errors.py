"""The errors this package raises, each with a message fit for users."""


class SNMError(Exception):
    """Base of every error with a message for users."""


class GazetteerError(SNMError):
    """A gazetteer file is missing, malformed or inconsistent."""


class InputError(SNMError):
    """An input document cannot be read as Arabic text."""
