"""Arabic text: normalisation, tokens, cue words, name matching, dates and actors."""
from snm.native import extend

__path__ = extend(__path__, __name__)  # the compiled core first, when it is current
