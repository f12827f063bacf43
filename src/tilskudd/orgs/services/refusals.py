"""Why an operation on an organisation cannot be done (``Refused`` and its kinds, all ``core`` refusals)."""

from __future__ import annotations

from tilskudd.core.refusals import Refusal
from tilskudd.orgs.models import Organisation


class Refused(Refusal):
    """The operation cannot be done; the reasons say why in plain words."""


class AlreadyRegistered(Refused):
    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        super().__init__(
            "Organisasjonen er allerede registrert. Du kan be om å bli med i den.",
            "The organisation is already registered. You can ask to join it.",
        )


class LastAdministrator(Refused):
    def __init__(self):
        super().__init__(
            "Organisasjonen må ha minst én administrator. Gi en annen person rollen først.",
            "The organisation must keep at least one administrator. Give someone else the role first.",
        )
