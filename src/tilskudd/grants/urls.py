"""The grants pages: allocation (urls_allocation), decisions and letters (urls_decisions), overview (urls_overview)."""

from tilskudd.grants import urls_allocation, urls_decisions, urls_overview

app_name = "grants"

urlpatterns = [*urls_allocation.urlpatterns, *urls_decisions.urlpatterns, *urls_overview.urlpatterns]
