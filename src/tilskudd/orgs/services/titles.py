"""The titles that carry signing authority (*signaturrett*) per applicant type, and their labels."""

from __future__ import annotations

from tilskudd.rules.application import ApplicantType

OTHER_TITLE = "annen stilling"

#: The title → (bokmål, English) label.
TITLE_LABELS: dict[str, tuple[str, str]] = {
    "kommunedirektør": ("Kommunedirektør", "Chief municipal executive"),
    "rådmann": ("Rådmann", "Chief municipal executive (rådmann)"),
    "fylkeskommunedirektør": ("Fylkeskommunedirektør", "County executive"),
    "bydelsdirektør": ("Bydelsdirektør", "District director"),
    "styreleder": ("Styreleder", "Chair of the board"),
    "daglig leder": ("Daglig leder", "General manager"),
    OTHER_TITLE: ("Annen stilling", "Another position"),
}

#: Per applicant type: the titles that carry signing authority (*signaturrett*), C0-R10, C1-R08, C3-R07.
SIGNATORY_TITLES: dict[str, tuple[str, ...]] = {
    ApplicantType.MUNICIPALITY.value: ("kommunedirektør", "rådmann"),
    ApplicantType.COUNTY_AUTHORITY.value: ("fylkeskommunedirektør",),
    ApplicantType.CITY_DISTRICT.value: ("bydelsdirektør",),
    ApplicantType.VOLUNTARY_ORGANISATION.value: ("styreleder", "daglig leder"),
    ApplicantType.FOUNDATION.value: ("styreleder", "daglig leder"),
    ApplicantType.COMPANY.value: ("daglig leder", "styreleder"),
    ApplicantType.SOCIAL_ENTERPRISE.value: ("daglig leder", "styreleder"),
    ApplicantType.STATE_AGENCY.value: ("daglig leder",),
}


def signatory_titles(applicant_type: str | None) -> tuple[str, ...]:
    """The signing titles for an applicant type; every signing title when the type is not known."""
    if applicant_type in SIGNATORY_TITLES:
        return SIGNATORY_TITLES[applicant_type]
    return tuple(title for title in TITLE_LABELS if title != OTHER_TITLE)


def is_signatory_title(applicant_type: str | None, title: str) -> bool:
    return title.strip().lower() in signatory_titles(applicant_type)
