"""Places: the gazetteer, resolution of names to places, layers and geoparsing."""
from snm.native import extend

__path__ = extend(__path__, __name__)  # the compiled core first, when it is current
