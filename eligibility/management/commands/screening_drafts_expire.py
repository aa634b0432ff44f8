"""Delete screening drafts past their expiry; the beat runs the same service every night."""
from django.core.management.base import BaseCommand

from eligibility.services import screening_drafts_delete_expired


class Command(BaseCommand):
    help = "Delete screening drafts (answers given without an account) that have expired."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {screening_drafts_delete_expired()} expired screening drafts.")
