"""The report pages: the grantee's under the application, the caseworker's under «saksbehandling»."""

from django.urls import path

from tilskudd.reports import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("soknader/<int:pk>/rapporter/", views.duties, name="duties"),
    path("soknader/<int:pk>/rapporter/<int:duty_id>/", views.duty_page, name="duty"),
    path("soknader/<int:pk>/rapporter/<int:duty_id>/vedlegg/", views.upload, name="upload"),
    path("soknader/<int:pk>/rapporter/<int:duty_id>/kvittering.pdf", views.receipt, name="receipt"),
    path("saksbehandling/rapporter/<int:report_id>/", views.staff_report, name="staff_report"),
    # Review and repayment claims (issue #12, point 5).
    path("saksbehandling/rapportplikter/<int:duty_id>/godkjenn/", views.approve_report, name="approve_report"),
    path("saksbehandling/rapportplikter/<int:duty_id>/endringer/", views.request_changes, name="request_changes"),
    path("saksbehandling/rapportplikter/<int:duty_id>/hold-utbetaling/", views.hold_term, name="hold_term"),
    path("saksbehandling/tilskudd/<int:grant_id>/tilbakebetaling/", views.prepare_claim, name="prepare_claim"),
    path("saksbehandling/tilbakebetaling/<int:claim_id>/godkjenn/", views.approve_claim, name="approve_claim"),
    path("saksbehandling/tilbakebetaling/<int:claim_id>/betalt/", views.claim_paid, name="claim_paid"),
    path("saksbehandling/tilbakebetaling/<int:claim_id>/avbryt/", views.cancel_claim, name="cancel_claim"),
    path("soknader/<int:pk>/tilbakebetaling/<int:claim_id>/brev.pdf", views.claim_letter, name="claim_letter"),
]

# The caseworker's «due and overdue» list and its CSV (issue #12, point 8).
urlpatterns += [
    path("saksbehandling/frister/", dashboard_views.due_list, name="dashboard"),
    path("saksbehandling/frister.csv", dashboard_views.due_list_csv, name="dashboard_csv"),
]
