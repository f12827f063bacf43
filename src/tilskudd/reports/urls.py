"""The report pages: the grantee's under the application, the caseworker's under «saksbehandling»."""

from django.urls import path

from tilskudd.reports import views

app_name = "reports"

urlpatterns = [
    path("soknader/<int:pk>/rapporter/", views.duties, name="duties"),
    path("soknader/<int:pk>/rapporter/<int:duty_id>/", views.duty_page, name="duty"),
    path("soknader/<int:pk>/rapporter/<int:duty_id>/vedlegg/", views.upload, name="upload"),
    path("soknader/<int:pk>/rapporter/<int:duty_id>/kvittering.pdf", views.receipt, name="receipt"),
    path("saksbehandling/rapporter/<int:report_id>/", views.staff_report, name="staff_report"),
]
