"""Receptor pharmacology: occupancy, agonism, allosteric modulation, antagonism, combination."""
