"""``beatbook send-emails``: send every queued e-mail that is due, once, and say how it went.

``beatbook worker`` does this every 30 seconds; this is for cron, or to flush the outbox by
hand after fixing the mail settings.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.enquiries.outbox import outgoing_emails_send_due


class Command(BaseCommand):
    help = "Send every queued e-mail that is due (those waiting for a retry included)."
    requires_system_checks = COMMAND_CHECKS

    def handle(self, *args: Any, **options: Any) -> None:
        summary = outgoing_emails_send_due()
        self.stdout.write(str(summary))
        if summary.failed:
            raise CommandError(f"{summary.failed} e-mail(s) could not be sent: see the log.")
