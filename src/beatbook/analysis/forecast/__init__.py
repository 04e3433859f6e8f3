"""Next month's crime per grid cell: cell-month counts, baseline and learned forecasters.

``matrix`` builds the counts (unobserved months as NaN), ``baselines`` and ``learned`` hold the
methods (fit/predict, explicit seeds), ``methods`` names them. The study area is
``beatbook.analysis.study_area``; what a back-test is defined by, ``analysis.backtest_settings``.
Back-testing is in ``beatbook.analysis.backtest`` and the scores in ``beatbook.analysis.metrics``.
"""
