from django.urls import path

from tilskudd.accounts import views

app_name = "accounts"

urlpatterns = [
    path("registrer/", views.signup, name="signup"),
    path("registrer/sjekk-e-posten/", views.signup_done, name="signup_done"),
    path("e-post/bekreft/", views.email_unverified, name="email_unverified"),
    path("e-post/bekreft/<str:token>/", views.confirm_email, name="confirm_email"),
    path("e-post/bytt/<str:token>/", views.confirm_email_change, name="confirm_email_change"),
    path("sikkerhet/e-post/", views.email_change, name="email_change"),
    path("logg-inn/", views.login_view, name="login"),
    path("logg-inn/kode/", views.verify, name="verify"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("passord/glemt/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passord/glemt/sendt/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "passord/nytt/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("passord/nytt/ferdig/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("sikkerhet/", views.security, name="security"),
    path("sikkerhet/passord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sikkerhet/passord/endret/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sikkerhet/tofaktor/", views.two_factor_setup, name="two_factor_setup"),
    path("sikkerhet/tofaktor/fjern/", views.two_factor_remove, name="two_factor_remove"),
    path("sikkerhet/reservekoder/", views.backup_codes, name="backup_codes"),
]
