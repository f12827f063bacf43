"""The grants pages: allocation, decisions and letters, overview (each package's ``urls``)."""

from tilskudd.grants.allocation import urls as allocation_urls
from tilskudd.grants.awards import urls as award_urls
from tilskudd.grants.decisions import urls as decision_urls
from tilskudd.grants.overview import urls as overview_urls

app_name = "grants"

urlpatterns = [
    *allocation_urls.urlpatterns,
    *award_urls.urlpatterns,
    *decision_urls.urlpatterns,
    *overview_urls.urlpatterns,
]
