"""Handouts for a taper plan: CSV, an iCalendar file of the dose changes, a patient PDF."""

from allostasis.interfaces.reports._calendar import taper_calendar, write_taper_ics
from allostasis.interfaces.reports._csv import write_taper_csv
from allostasis.interfaces.reports._pdf import write_taper_pdf

__all__ = ["taper_calendar", "write_taper_csv", "write_taper_ics", "write_taper_pdf"]
