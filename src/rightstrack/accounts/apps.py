from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rightstrack.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import actions

        user_logged_in.connect(actions.on_signed_in, dispatch_uid="rightstrack.accounts.signed_in")
