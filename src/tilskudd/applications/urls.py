"""The applicant's pages: /soknader/… and /min-side/ (login required on every one)."""

from django.urls import path

from tilskudd.applications import views

app_name = "applications"

urlpatterns = [
    path("min-side/", views.my_page, name="my_page"),
    path("soknader/ny/<slug:slug>/", views.start, name="start"),
    path("soknader/<int:pk>/", views.application_form, name="form"),
    path("soknader/<int:pk>/forhandsvis/", views.preview, name="preview"),
    path("soknader/<int:pk>/vedlegg/", views.attachments, name="attachments"),
    path("soknader/<int:pk>/vedlegg/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("soknader/<int:pk>/signer/", views.review, name="review"),
    path("soknader/<int:pk>/send-inn/", views.submit, name="submit"),
    path("soknader/<int:pk>/sendt/", views.submitted, name="submitted"),
    path("soknader/<int:pk>/kvittering.pdf", views.receipt_pdf, name="receipt"),
    path("soknader/<int:pk>/brev/<int:document_id>.pdf", views.letter_pdf, name="letter"),
    path("soknader/<int:pk>/trekk/", views.withdraw, name="withdraw"),
    path("soknader/<int:pk>/historikk/", views.history, name="history"),
]
