"""The allocation assistant's mathematics: exact small cases and properties that must always hold."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.grants.allocation.assistant import FrameSpec, Item, propose

AREA2 = FrameSpec("area:2", 0, "rammen for område 2", "the frame for area 2")


def item(app_id, quality, applied, frames=("all",), cap=None, threshold=None, minimum=0, locked=True, fixed=None, area="2"):
    return Item(
        application_id=app_id,
        area=area,
        applied=applied,
        cap=applied if cap is None else cap,
        quality=None if quality is None else Decimal(str(quality)),
        threshold=None if threshold is None else Decimal(str(threshold)),
        minimum=minimum,
        frames=tuple(frames),
        locked=locked,
        fixed=fixed,
    )


def amounts(proposals):
    return {p.application_id: p.amount for p in proposals}


def test_the_best_quality_is_funded_first_and_the_last_one_in_part():
    frames = [FrameSpec("area:2", 800_000, "rammen for område 2", "the frame for area 2")]
    items = [item(1, 4.5, 500_000, ["area:2"]), item(2, 5.3, 500_000, ["area:2"]), item(3, 4.1, 400_000, ["area:2"])]
    result = {p.application_id: p for p in propose(items, frames)}
    assert amounts(result.values()) == {1: 300_000, 2: 500_000, 3: 0}
    assert result[2].explanation_nb == "Fullt beløp: kvalitet 5,3, nr. 1 av 3 i område 2."
    assert result[1].explanation_nb.startswith("Delvis: rammen for område 2 er brukt opp; får 300\u00a0000 av 500\u00a0000 kr")
    assert result[1].explanation_en.startswith("Partly: the frame for area 2 is used up; gets NOK 300,000 of 500,000")
    assert result[3].reason == "frame_used"


def test_below_threshold_and_unlocked_get_nothing_even_with_money_left():
    frames = [FrameSpec("all", 10_000_000)]
    items = [item(1, 3.9, 100_000, threshold=4.0), item(2, None, 100_000, locked=False), item(3, 4.0, 100_000, threshold=4.0)]
    result = {p.application_id: p for p in propose(items, frames)}
    assert amounts(result.values()) == {1: 0, 2: 0, 3: 100_000}
    assert result[1].explanation_nb == (
        "Kvalitet 3,9 er under kvalitetsterskelen 4,0 for område 2 (C0-R15): får ikke tilskudd."
    )
    assert result[2].explanation_nb == "Ikke ferdig vurdert (vurderingen er ikke låst)."
    assert result[2].explanation_en == "Not fully assessed (the assessment is not locked)."


def test_minimum_amounts_where_greedy_leaves_money_unused():
    # Greedy by quality gives 1 the full 95 000 and leaves 5 000 that nobody may take (minimum 10 000):
    # Σ q·x = 5.0·95 000 = 475 000. The optimum cuts 1 to 90 000 and funds 2 with the minimum:
    # 5.0·90 000 + 4.9·10 000 = 499 000.
    frames = [FrameSpec("all", 100_000, "rammen", "the frame")]
    items = [item(1, 5.0, 95_000, minimum=10_000), item(2, 4.9, 20_000, minimum=10_000)]
    result = {p.application_id: p for p in propose(items, frames)}
    assert amounts(result.values()) == {1: 90_000, 2: 10_000}


def test_minimum_amount_is_never_undercut():
    frames = [FrameSpec("all", 108_000, "rammen", "the frame")]
    items = [item(1, 5.0, 100_000, minimum=10_000), item(2, 4.0, 50_000, minimum=10_000)]
    result = {p.application_id: p for p in propose(items, frames)}
    # 2 either gets 0 or at least 10 000: 98 000 + 10 000 beats 100 000 + nothing.
    assert amounts(result.values()) == {1: 98_000, 2: 10_000}


def test_overlapping_frames_area_and_whole_call():
    frames = [
        FrameSpec("call", 1_000_000, "rammen for hele utlysningen", "the frame for the whole call"),
        FrameSpec("area:1", 300_000, "rammen for område 1", "the frame for area 1"),
    ]
    items = [
        item(1, 6.0, 600_000, ["call", "area:1"], area="1"),
        item(2, 5.0, 600_000, ["call"], area="3"),
        item(3, 4.5, 600_000, ["call"], area="4"),
    ]
    result = {p.application_id: p for p in propose(items, frames)}
    assert amounts(result.values()) == {1: 300_000, 2: 600_000, 3: 100_000}
    assert "rammen for område 1 er brukt opp" in result[1].explanation_nb
    assert "rammen for hele utlysningen er brukt opp" in result[3].explanation_nb


def test_ties_are_broken_by_id_and_the_answer_is_the_same_every_time():
    frames = [FrameSpec("all", 150_000)]
    items = [item(7, 5.0, 100_000), item(3, 5.0, 100_000), item(5, 5.0, 100_000)]
    first = amounts(propose(items, frames))
    assert first == {3: 100_000, 5: 50_000, 7: 0}
    for _ in range(3):
        assert amounts(propose(list(reversed(items)), frames)) == first


def test_a_caseworkers_line_is_kept_and_the_rest_is_allocated_around_it():
    frames = [FrameSpec("all", 500_000)]
    items = [item(1, 6.0, 400_000), item(2, 3.0, 400_000, fixed=350_000)]
    result = {p.application_id: p for p in propose(items, frames)}
    assert amounts(result.values()) == {1: 150_000, 2: 350_000}
    assert result[2].reason == "fixed"


def test_a_cap_below_the_amount_applied_is_explained():
    frames = [FrameSpec("all", 5_000_000)]
    capped = Item(1, "1", 1_800_000, 1_700_000, Decimal("5"), frames=("all",), cap_reason_nb="stønaden er høyst 1 G per deltakerår (C0-R18)", cap_reason_en="the stipend is at most 1 G per participant-year (C0-R18)")
    (proposal,) = propose([capped], frames)
    assert proposal.amount == 1_700_000
    assert proposal.reason == "capped"
    assert "C0-R18" in proposal.explanation_nb and "C0-R18" in proposal.explanation_en


def test_large_amounts_stay_exact():
    frames = [FrameSpec("all", 52_300_000)]
    items = [item(i, 4.0 + (i % 7) / 3, 1_000_000 + 12_345 * i) for i in range(1, 61)]
    result = amounts(propose(items, frames))
    assert sum(result.values()) == 52_300_000
    assert all(isinstance(a, int) for a in result.values())


# --- properties -------------------------------------------------------------------------


@st.composite
def problems(draw):
    frame_count = draw(st.integers(1, 3))
    frames = [FrameSpec(f"f{k}", draw(st.integers(0, 300_000))) for k in range(frame_count)]
    items = []
    for app_id in range(1, draw(st.integers(1, 8)) + 1):
        applied = draw(st.integers(0, 150_000))
        cap = draw(st.integers(0, applied))
        quality = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=7, places=3)))
        threshold = draw(st.one_of(st.none(), st.sampled_from([Decimal("3.5"), Decimal("4.0")])))
        own = draw(st.lists(st.sampled_from([f.id for f in frames]), min_size=1, unique=True))
        items.append(
            Item(
                application_id=app_id,
                area="1",
                applied=applied,
                cap=cap,
                quality=quality,
                threshold=threshold,
                minimum=draw(st.sampled_from([0, 0, 10_000])),
                frames=tuple(own),
                locked=draw(st.booleans()) or quality is not None,
            )
        )
    return items, frames


@settings(max_examples=60, deadline=None)
@given(problems())
def test_never_exceeds_a_frame_or_a_cap_and_never_funds_below_threshold(problem):
    items, frames = problem
    result = amounts(propose(items, frames))
    for frame in frames:
        assert sum(result[i.application_id] for i in items if frame.id in i.frames) <= frame.amount
    for i in items:
        amount = result[i.application_id]
        assert 0 <= amount <= min(i.cap, i.applied)
        assert isinstance(amount, int)
        if i.minimum and amount:
            assert amount >= i.minimum
        if i.quality is None or not i.locked:
            assert amount == 0
        elif i.threshold is not None and i.quality < i.threshold:
            assert amount == 0
