"""The payment pages under /saksbehandling/utbetalinger/ (staff; ``tests/test_access_matrix_staff.py``)."""

from django.urls import path

from tilskudd.payments import views

app_name = "payments"

urlpatterns = [
    path("saksbehandling/utbetalinger/", views.index, name="index"),
    path("saksbehandling/utbetalinger/<int:org_id>/", views.grantor, name="grantor"),
    path("saksbehandling/utbetalinger/<int:org_id>/oppdrag/", views.prepare, name="prepare"),
    path("saksbehandling/utbetalinger/<int:org_id>/bankfil/", views.import_camt054, name="import_camt054"),
    path("saksbehandling/utbetalinger/oppdrag/<int:batch_id>/", views.batch, name="batch"),
    path("saksbehandling/utbetalinger/oppdrag/<int:batch_id>/godkjenn/", views.approve, name="approve"),
    path("saksbehandling/utbetalinger/oppdrag/<int:batch_id>/send-tilbake/", views.return_batch, name="return"),
    path("saksbehandling/utbetalinger/oppdrag/<int:batch_id>/pain001.xml", views.pain001, name="pain001"),
    path("saksbehandling/utbetalinger/oppdrag/<int:batch_id>/betalinger.csv", views.csv, name="csv"),
    path("saksbehandling/utbetalinger/betalinger/<int:order_id>/betalt/", views.mark_paid, name="mark_paid"),
    path("saksbehandling/utbetalinger/terminer/<int:term_id>/hold-tilbake/", views.hold_term, name="hold_term"),
    path("saksbehandling/utbetalinger/terminer/<int:term_id>/frigi/", views.release_term, name="release_term"),
]
