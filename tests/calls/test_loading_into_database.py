"""Loading call files into the database: all or nothing, idempotent, versioned once used."""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from tilskudd.calls.models import Call, CallVersion
from tilskudd.calls.services import CallFilesError, CallInUseError, LoadOutcome, load_call_files
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def write_call(tmp_path: Path, name: str, **changes) -> Path:
    data = yaml.safe_load((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        target = data
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_loading_creates_the_call_with_its_columns(tmp_path):
    [result] = load_call_files([write_call(tmp_path, "a.yaml")])
    assert (result.slug, result.outcome, result.version) == ("test-minimal", LoadOutcome.CREATED, 1)
    call = Call.objects.get(slug="test-minimal")
    assert call.title_nb == "Testutlysning"
    assert call.frame_amount == 1_000_000
    assert call.deadline.isoformat() == "2030-02-28T11:00:00+00:00"
    assert call.definition.id == "test-minimal"


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    path = write_call(tmp_path, "a.yaml")
    load_call_files([path])
    [again] = load_call_files([path])
    assert again.outcome is LoadOutcome.UNCHANGED
    assert CallVersion.objects.count() == 1


def test_a_changed_call_without_applications_is_updated_in_place(tmp_path):
    load_call_files([write_call(tmp_path, "a.yaml")])
    [result] = load_call_files([write_call(tmp_path, "a.yaml", frame__amount=2_000_000)])
    assert (result.outcome, result.version) == (LoadOutcome.UPDATED, 1)
    assert Call.objects.get().frame_amount == 2_000_000
    assert CallVersion.objects.count() == 1


def test_a_changed_call_in_use_is_refused_unless_versioned(tmp_path, monkeypatch):
    load_call_files([write_call(tmp_path, "a.yaml")])
    monkeypatch.setattr(CallVersion, "is_in_use", lambda self: True)
    changed = write_call(tmp_path, "a.yaml", frame__amount=2_000_000)
    with pytest.raises(CallInUseError, match="cannot be changed in place"):
        load_call_files([changed])
    assert Call.objects.get().frame_amount == 1_000_000
    [result] = load_call_files([changed], new_version=True)
    assert (result.outcome, result.version) == (LoadOutcome.VERSIONED, 2)
    call = Call.objects.get()
    assert call.current_version.number == 2
    assert call.frame_amount == 2_000_000
    assert CallVersion.objects.get(number=1).definition["frame"]["amount"] == 1_000_000


def test_one_bad_file_loads_nothing(tmp_path):
    good = write_call(tmp_path, "good.yaml", id="good-call")
    bad = write_call(tmp_path, "bad.yaml", id="bad-call", frame__amount="mye")
    with pytest.raises(CallFilesError) as caught:
        load_call_files([good, bad])
    assert "bad.yaml" in str(caught.value)
    assert "frame.amount" in str(caught.value)
    assert Call.objects.count() == 0


def test_two_files_with_one_id_are_refused(tmp_path):
    with pytest.raises(CallFilesError, match="used by several files"):
        load_call_files([write_call(tmp_path, "a.yaml"), write_call(tmp_path, "b.yaml")])
    assert Call.objects.count() == 0


def test_command_reports_and_refuses(tmp_path, capsys):
    good = write_call(tmp_path, "good.yaml")
    call_command("load_calls", str(good))
    assert "test-minimal: created (version 1)" in capsys.readouterr().out
    bad = write_call(tmp_path, "bad.yaml", deadline__at="2030-02-28T12:00:00")
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_calls", str(bad))
