from django.apps import apps
from django.core.management.base import BaseCommand

from cases.vocabulary_loader import sync_vocabularies


class Command(BaseCommand):
    help = "Add shipped vocabulary concepts the database does not have yet (never changes existing ones)."

    def handle(self, *args, **options):
        added = sync_vocabularies(lambda name: apps.get_model("cases", name))
        self.stdout.write(f"Vocabularies: {added} concept(s) added.")
