"""``manage.py send_digests``: the e-mail digests of saved searches that are due (run it from cron, e.g. hourly)."""

from django.core.management.base import BaseCommand, CommandError

from archive.digests import send_digests


class Command(BaseCommand):
    help = ("Send each analyst one e-mail covering their saved searches whose daily or weekly digest is due and that "
            "have new or corrected matches. Safe to run twice: what was sent is recorded, and nothing is sent again.")

    def handle(self, *args, **options):
        run = send_digests()
        for line in run.lines():
            self.stdout.write(line)
        if run.failed:
            raise CommandError(f"{len(run.failed)} digest(s) failed")
