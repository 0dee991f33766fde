"""Issue a new API token for a partner account; the old one stops working at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from portal.audit import audit_record


class Command(BaseCommand):
    help = "Rotate the API token of one account (prints the new token once)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit_record(action="auth.api_token_rotated", target=user, actor_label="manage.py")
        self.stdout.write(token.key)
