"""What places announce to the apps built on them.

``places`` comes first in the house plan (docs/architecture.md) and imports no app that holds
data keyed on its neighbourhoods. When a force's neighbourhoods are redrawn, those apps must
point their rows at the new ones in the same transaction; each listens for this signal (in its
``AppConfig.ready``) and returns how many rows it changed.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``force_id`` inside the transaction that saved the force's new neighbourhoods.
neighbourhoods_redrawn = Signal()
