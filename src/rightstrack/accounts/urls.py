from django.urls import path

from . import views

urlpatterns = [
    path("", views.account, name="account"),
    path("preferences/", views.preferences, name="account_preferences"),
    path("password/", views.change_password, name="change_password"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("sessions/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("sessions/<int:pk>/end/", views.end_session, name="end_session"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/", views.security, name="account_security"),
    path("security/members/<int:user_id>/reset-link/", views.issue_reset_link, name="issue_reset_link"),
    path("reset/<str:token>/", views.reset_password, name="reset_password"),
    path("forgot-password/", views.forgot_password, name="forgot_password"),
]
