import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.api.models import ApiToken
from kinerja.api.services import token_create, token_revoke


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal tidak dikenal: {text!r}; tulis sebagai tttt-bb-hh.") from None


class Command(BaseCommand):
    help = (
        "Token API pribadi: `token create --user NAMA [--name N] [--expires tttt-bb-hh]` mencetak "
        "kunci baru (sekali saja), `token list --user NAMA`, `token revoke --id N`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="buat token dan cetak kuncinya")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="Baris perintah")
        create.add_argument("--expires", type=date_argument)
        lst = sub.add_parser("list", help="token seorang pengguna")
        lst.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="cabut token")
        revoke.add_argument("--id", type=int, required=True, dest="token_id")

    def handle(self, *args, action, **options):
        if action == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"Token {options['token_id']} tidak ada.")
            done = token_revoke(token=token)
            self.stdout.write(f"Token {token} {'dicabut' if done else 'sudah dicabut sebelumnya'}.")
            return
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']!r} tidak ada.")
        if action == "list":
            for t in ApiToken.objects.filter(user=user):
                state = "dicabut" if t.revoked_at else f"sampai {t.expires_on or 'tanpa batas'}"
                self.stdout.write(f"{t.pk:>6}  {t.prefix}…  {t.name}  ({state})")
            return
        try:
            _, key = token_create(user=user, name=options["name"], expires_on=options["expires"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(key)
