"""Testing helpers shipped with the package (hypothesis strategies), as xarray.testing does."""
