from django.urls import path

from tilskudd.complaints import views

app_name = "complaints"

urlpatterns = [
    path("soknader/<int:pk>/klage/", views.file, name="file"),
    path("soknader/<int:pk>/klage/<int:complaint_id>/", views.applicant_complaint, name="applicant_complaint"),
    path("saksbehandling/klager/", views.queue, name="queue"),
    path("saksbehandling/klager/<int:complaint_id>/", views.complaint, name="complaint"),
    path("saksbehandling/klager/<int:complaint_id>/oversendelse.pdf", views.bundle, name="bundle"),
    path("saksbehandling/klager/<int:complaint_id>/vedlegg/<int:attachment_id>/", views.attachment, name="attachment"),
]
