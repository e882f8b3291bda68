"""allostasis: executable pharmacology of anxiety drugs, from the receptor to the clinic.

Decision support and education, not autonomous prescribing. Every number carries a unit and a
source; every clinical output carries its basis.
"""

from allostasis.errors import AllostasisError

__version__ = "0.1.0"
__all__ = ["AllostasisError", "__version__"]
