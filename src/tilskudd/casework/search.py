"""The queue's search box: case number, organisation name and number, the application's title.

On PostgreSQL a name or title matches in part and misspelt: the words are compared by trigram word
similarity (``pg_trgm``'s ``word_similarity``), accents folded with ``unaccent`` where the extension is
there (``casework/migrations/0008``), so «trondhiem» finds Trondheim kommune and «tromso» Tromsø. On
SQLite (development, tests) it is ``icontains``: the part, not the misspelling.
"""

from __future__ import annotations

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest, Lower

#: How alike a word must be (0-1) to count: «trondhiem» ~ «Trondheim» is 0.6, «stavnger» ~ «Stavanger» 0.58,
#: an unrelated word 0-0.1.
SIMILARITY = 0.5

NAME = "application__organisation__name"
TITLE = "application__title"

_unaccent: dict[str, bool] = {}


def has_unaccent(alias: str = "default") -> bool:
    """Whether the database has the unaccent extension (asked once per database)."""
    if alias not in _unaccent:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
            _unaccent[alias] = cursor.fetchone() is not None
    return _unaccent[alias]


def exact(search: str) -> Q:
    return (
        Q(application__case_number__icontains=search)
        | Q(**{f"{NAME}__icontains": search})
        | Q(application__organisation__org_number__icontains=search)
        | Q(**{f"{TITLE}__icontains": search})
    )


def matching(found: QuerySet, search: str) -> QuerySet:
    """``found`` narrowed to the cases the search finds."""
    search = search.strip()
    if not search:
        return found
    alias = found.db
    if connections[alias].vendor != "postgresql":
        return found.filter(exact(search))

    def fold(expression):
        lowered = Lower(expression)
        return Unaccent(lowered) if has_unaccent(alias) else lowered

    term = fold(Value(search))
    found = found.annotate(
        search_term=term,
        search_name=fold(NAME),
        search_title=fold(TITLE),
        search_likeness=Greatest(TrigramWordSimilarity(term, fold(NAME)), TrigramWordSimilarity(term, fold(TITLE))),
    )
    return found.filter(
        exact(search)
        | Q(search_likeness__gte=SIMILARITY)
        | Q(search_name__contains=F("search_term"))
        | Q(search_title__contains=F("search_term"))
    )
