"""``python -m allostasis.interfaces.cli``."""

from allostasis.interfaces.cli import main

main()
