"""Django-free helpers shared by every layer: months, the British National Grid transformers
and police.uk's crime-type vocabulary.

This package is pure: it imports only the standard library and third-party libraries, never
Django and never another ``beatbook`` package, so that the pure packages (``analysis``, and
``planning`` to come) may use it without reaching Django, even indirectly (ADR 17).
"""
