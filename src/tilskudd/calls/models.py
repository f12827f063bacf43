"""Calls (*utlysninger*) as stored: the definition file's content, versioned.

A call's rules live in :class:`CallVersion.definition` (the validated YAML as
JSON). Applications will point at the version they were made under, so a
later change to a call never alters an old case. The columns on
:class:`Call` are copies for listing and filtering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from tilskudd.core.cache import BoundedCache

if TYPE_CHECKING:
    # The rule engine (pydantic models of the call format) is imported where a definition is parsed, not when
    # the models load: every management command and the worker start without it (issue #13, point 11).
    from tilskudd.rules.schema import CallDefinition

#: Parsed definitions by (version id, definition hash), shared by every request of the process. A version
#: is changed in place only while no application uses it, and then its hash changes with it, so an entry
#: is never stale; CallDefinition is frozen, so sharing one is safe. Bounded: the oldest go first.
PARSED_CACHE_SIZE = 64
_PARSED: BoundedCache[CallDefinition] = BoundedCache(PARSED_CACHE_SIZE)


class Call(models.Model):
    slug = models.SlugField("id", max_length=100, unique=True)
    title_nb = models.CharField("tittel", max_length=300)
    title_en = models.CharField("title (English)", max_length=300, blank=True)
    year = models.PositiveIntegerField("år")
    grantor_name = models.CharField("tilskuddsforvalter", max_length=200)
    grantor_org_number = models.CharField("organisasjonsnummer", max_length=9)
    deadline = models.DateTimeField("søknadsfrist")
    frame_amount = models.BigIntegerField("ramme (NOK)", null=True, blank=True)
    current_version = models.ForeignKey(
        "CallVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-deadline", "slug"]
        verbose_name = "utlysning"
        verbose_name_plural = "utlysninger"

    def __str__(self) -> str:
        return f"{self.title_nb} ({self.slug})"

    @property
    def definition(self) -> CallDefinition:
        assert self.current_version is not None
        return self.current_version.parsed()


class CallVersion(models.Model):
    """One version of a call's definition, frozen once an application uses it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("versjon")
    definition = models.JSONField()
    definition_hash = models.CharField(max_length=64)
    source_file = models.CharField(max_length=500, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "-number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="unique_call_version")]

    def __str__(self) -> str:
        return f"{self.call.slug} v{self.number}"

    def parsed(self) -> CallDefinition:
        """The definition as the rule engine's model: validated once per version in a process (issue #14).

        Validating a 57 kB definition costs milliseconds, and the engine keeps its plan per definition
        object, so every request that read the call from the database used to pay both again.
        """
        cached = getattr(self, "_parsed", None)
        if cached is not None:
            return cached
        key = (self.pk, self.definition_hash)
        cached = _PARSED.get(key) if self.pk is not None and self.definition_hash else None
        if cached is None:
            from tilskudd.rules.schema import STORED_DEFINITION, CallDefinition  # noqa: PLC0415 - see the imports

            cached = CallDefinition.model_validate(self.definition, context={STORED_DEFINITION: True})
            if key[0] is not None and key[1]:
                _PARSED.put(key, cached)
        self._parsed = cached
        return cached

    def is_in_use(self) -> bool:
        """Whether anything (an application, a decision …) refers to this version."""
        for relation in self._meta.related_objects:
            if relation.related_model is Call:
                continue
            accessor = relation.get_accessor_name()
            manager = getattr(self, accessor, None)
            if manager is not None and hasattr(manager, "exists") and manager.exists():
                return True
        return False
