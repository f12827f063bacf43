"""A client's retry of ``POST …/submit`` repairs a lost receipt (issue #8 point 5), also when replayed by its Idempotency-Key."""

from __future__ import annotations

import pytest

from tests.api.test_applications_api import API, ENOUGH, create, world  # noqa: F401 - world is a fixture

RECEIPT_TASK = "tilskudd.applications.tasks.make_receipt"


def receipt_tasks(application_id):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=RECEIPT_TASK, args_kwargs__args__0=application_id)


@pytest.mark.parametrize("key", [None, "retry-1"])
def test_a_retried_submission_queues_its_lost_receipt_once(world, settings, key):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    api = world["signatory_api"]
    draft = create(api, answers=ENOUGH)
    assert api.post(f"{API}/{draft['id']}/sign", {"revision": draft["revision"]}).status_code == 200
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}

    assert api.post(f"{API}/{draft['id']}/submit", **headers).status_code == 201
    assert receipt_tasks(draft["id"]).count() == 1  # queued with the submission
    receipt_tasks(draft["id"]).delete()  # lost (as before the task was written in the submission's transaction)

    for _ in range(2):
        retry = api.post(f"{API}/{draft['id']}/submit", **headers)
        assert retry.status_code == 200
        assert retry.json()["created"] is False
    assert receipt_tasks(draft["id"]).count() == 1  # queued again, once
