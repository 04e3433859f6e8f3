"""Next month's crime per grid cell: cell-month counts, baseline and learned forecasters.

``matrix`` builds the counts (unobserved months as NaN), ``baselines`` and ``learned`` hold the
methods (fit/predict, explicit seeds), ``methods`` names them, ``area`` decides the study area.
What a back-test is defined by is ``beatbook.analysis.backtest_settings``.
Back-testing is in ``beatbook.analysis.backtest`` and the scores in ``beatbook.analysis.metrics``.
"""
