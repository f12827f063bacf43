from django.urls import path

from tilskudd.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("utlysninger/<slug:slug>/", views.call_detail, name="call_detail"),
]
