"""police.uk bulk-file ingest: discover inputs, read and validate, transform, bulk load.

``discover`` finds CSVs in files, folders and archive zips; ``reader`` checks encoding and
header; ``prepare`` validates rows and builds columns (``validate``, ``locations``); ``loaders``
write them (COPY on PostgreSQL, executemany on SQLite); ``service`` runs one transaction per
(force, month, kind).
"""
