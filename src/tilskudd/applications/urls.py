"""The applicant's pages: /soknader/… and /min-side/ (login required on every one)."""

from django.urls import path

from tilskudd.applications.views import attachments, decisions, drafts, history, my_page, submission

app_name = "applications"

urlpatterns = [
    path("min-side/", my_page.my_page, name="my_page"),
    path("soknader/ny/<slug:slug>/", drafts.start, name="start"),
    path("soknader/<int:pk>/", drafts.application_form, name="form"),
    path("soknader/<int:pk>/forhandsvis/", drafts.preview, name="preview"),
    path("soknader/<int:pk>/autolagre/", drafts.autosave, name="autosave"),
    path("soknader/<int:pk>/vedlegg/", attachments.attachments, name="attachments"),
    path("soknader/<int:pk>/vedlegg/<int:attachment_id>/", attachments.attachment_file, name="attachment_file"),
    path("soknader/<int:pk>/signer/", submission.review, name="review"),
    path("soknader/<int:pk>/send-til-signering/", submission.send_for_signing, name="send_for_signing"),
    path("soknader/<int:pk>/bevis-for-rolle/", submission.role_proof, name="role_proof"),
    path("soknader/<int:pk>/send-inn/", submission.submit, name="submit"),
    path("soknader/<int:pk>/sendt/", submission.submitted, name="submitted"),
    path("soknader/<int:pk>/kvittering.pdf", submission.receipt_pdf, name="receipt"),
    path("soknader/<int:pk>/brev/<int:document_id>.pdf", decisions.letter_pdf, name="letter"),
    path("soknader/<int:pk>/trekk/", submission.withdraw, name="withdraw"),
    path("soknader/<int:pk>/historikk/", history.history, name="history"),
]
