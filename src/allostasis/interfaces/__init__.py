"""Interfaces at the edge: command line (and, later, web, REST and CDS Hooks)."""
