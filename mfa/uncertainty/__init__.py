"""Monte Carlo, sensitivity and the runs of a study (local processes or Dask)."""
