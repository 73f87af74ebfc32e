"""Leak-harness descriptions for account routes: a user never reaches another user's sessions or tokens."""

from rightstrack.accounts import actions
from rightstrack.accounts.models import SignIn
from rightstrack.core.models import ApiToken


def add_hidden(world) -> None:
    world.hidden["token"], _key = ApiToken.issue(world.author, world.text("token"))
    world.hidden["sign_in"] = SignIn.objects.create(
        user=world.author, user_agent=world.text("agent"), device=world.text("device"), session_key="leakkey12345"
    )
    # A valid link of org A's author: whoever holds it may set the password, but it shows nothing of org A.
    world.hidden["reset_link"], world.hidden["reset_token"] = actions._new_link(world.author, issued_by=None)


ROUTES = {
    "account/tokens/<int:pk>/revoke/": lambda w: [{"pk": w.hidden["token"].pk}],
    "account/sessions/<int:pk>/end/": lambda w: [{"pk": w.hidden["sign_in"].pk}, {"pk": 999999}],
    "account/security/members/<int:user_id>/reset-link/": lambda w: [{"user_id": w.author.pk}, {"user_id": 999999}],
    "account/reset/<str:token>/": lambda w: [{"token": w.hidden["reset_token"]}],
}
