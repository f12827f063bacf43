from django.shortcuts import get_object_or_404, render

from tilskudd.calls.models import Call


def front_page(request):
    calls = Call.objects.select_related("current_version")
    return render(request, "calls/front_page.html", {"calls": calls})


def call_detail(request, slug):
    call = get_object_or_404(Call.objects.select_related("current_version"), slug=slug)
    return render(request, "calls/call_detail.html", {"call": call, "definition": call.definition})
