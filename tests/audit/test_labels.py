"""Every audit action has one name on the history pages, in bokmål and English — never its stored id."""

import re

from tilskudd.audit.actions import AuditAction
from tilskudd.audit.labels import LABELS, action_label


def test_every_action_has_a_label_in_both_languages():
    assert sorted(set(AuditAction) - set(LABELS)) == []
    for action, (nb, en) in LABELS.items():
        assert nb.strip() and en.strip(), action
        assert not re.search(r"\w\.\w", nb + en), f"{action}: a label reads like an id"


def test_a_label_is_picked_by_the_language_and_an_old_unknown_value_is_shown_as_stored():
    assert action_label(AuditAction.SIGNATURE_VOIDED, "nb").startswith("En signatur falt bort")
    assert action_label("signature.voided", "en") == "A signature lapsed because the delegation was revoked"
    assert action_label("application.submit", "nb") == "application.submit"  # a pre-0006 spelling in a broken stream


def test_the_applicant_and_the_caseworker_read_the_same_words_for_the_same_event():
    assert action_label(AuditAction.APPLICATION_GRANTED, "nb") == "Vedtak: søknaden ble innvilget"
