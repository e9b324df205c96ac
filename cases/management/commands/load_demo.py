from django.core.management.base import BaseCommand

from cases.demo import ACCOUNTS, demo_password, load_demo


class Command(BaseCommand):
    help = "Create the demo sites and accounts and load the two founding cases (development only)."

    def handle(self, *args, **options):
        result = load_demo()
        created = result["created_cases"]
        self.stdout.write(f"Founding cases: {', '.join(created) if created else 'already loaded'}.")
        self.stdout.write("Demo accounts (development only), password: " + demo_password())
        for username, (groups, sites, _) in ACCOUNTS.items():
            role = groups[0] if groups else "clinician of " + ", ".join(sites)
            self.stdout.write(f"  {username:<12} {role}")
