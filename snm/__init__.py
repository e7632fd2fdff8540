"""Syria News Map: what every package shares (settings, errors, command-line conventions, the pipeline)."""
from snm.native import extend

__version__ = "0.3.0"
__path__ = extend(__path__, __name__)  # the compiled core's runtime library, when it is current
