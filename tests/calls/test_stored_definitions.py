"""A call definition stored by an earlier version of the call format still reads: keys the format has
retired since are dropped when a stored definition is read back, while a call file may not use them."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import FIXTURES
from tilskudd.calls.models import CallVersion
from tilskudd.calls.services import load_call_files
from tilskudd.rules.loading import CallFileError, load_call_file

pytestmark = pytest.mark.django_db


def _with_retired_keys(definition: dict) -> dict:
    """The definition as the format before 2026-12-02 stored it: a smaller cap for participants under 25."""
    for check in definition["checks"]:
        if check["kind"] == "stipend_cap":
            check.update({"under_age": 25, "under_age_factor": "2/3"})
            return definition
    raise AssertionError("the minimal call has a stipend_cap check")


def test_a_stored_definition_with_retired_keys_reads_and_the_call_page_shows(client, tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_text((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    load_call_files([path])
    version = CallVersion.objects.get(call__slug="test-minimal")
    stored = _with_retired_keys(version.definition)
    CallVersion.objects.filter(pk=version.pk).update(definition=stored, definition_hash="stored-by-an-earlier-format")

    definition = CallVersion.objects.get(pk=version.pk).parsed()

    [cap] = [check for check in definition.checks if check.kind == "stipend_cap"]
    assert not hasattr(cap, "under_age") and not hasattr(cap, "under_age_factor")
    response = client.get(f"/utlysninger/{version.call.slug}/")
    assert response.status_code == 200
    assert "Testutlysning" in response.content.decode()


def test_a_call_file_may_not_use_the_retired_keys(tmp_path):
    data = _with_retired_keys(yaml.safe_load((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8")))
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CallFileError) as refused:
        load_call_file(path)
    assert any("under_age" in str(problem) for problem in refused.value.problems)
