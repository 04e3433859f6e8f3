"""Crime analysis on plain arrays and DataFrames: grids, hotspots, harm, trends and forecasts.

This package never imports Django: the ``beatbook.insights`` app loads data from the database
and hands it over as arrays, so everything here can be tested and benchmarked on its own.
"""
