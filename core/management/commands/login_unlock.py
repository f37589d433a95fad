from axes.handlers.proxy import AxesProxyHandler
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.management.base import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Lift a login lockout before its cool-off has passed: the failures counted "
        "against an account (--username), a client address (--ip), or all of them "
        "(--all). The axes_reset, axes_reset_username and axes_reset_ip commands of "
        "django-axes do the same."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help=gettext_lazy("Account to unlock"))
        parser.add_argument("--ip", help=gettext_lazy("Client address to unlock"))
        parser.add_argument(
            "--all", action="store_true", help=gettext_lazy("Unlock everyone")
        )

    def handle(self, *args, username, ip, all, **options):
        if not (username or ip or all):
            raise CommandError(
                _("Name an account (--username), an address (--ip), or --all")
            )
        count = 0
        if all:
            count = AxesProxyHandler.reset_attempts()
        if username:
            count += AxesProxyHandler.reset_attempts(username=username)
        if ip:
            count += AxesProxyHandler.reset_attempts(ip_address=ip)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Cleared %(count)s record of failed sign-ins",
                    "Cleared %(count)s records of failed sign-ins",
                    count,
                )
                % {"count": count}
            )
        )
