"""Running totals kept by database triggers: the one pattern behind ``casework.totals`` and ``grants.totals``.

A *tally* table holds what each source row (a case, an application) counts for now — its group and its amounts,
one or more rows per source — and a *total* table holds, per group and shard, how many tallies and the sums of
their amounts. A refresh of one source, run by the triggers in the transaction of every change that can move it,
takes its old tallies out of their groups, recomputes them from the rows and puts them into their groups again;
so the totals are exact whatever writes the rows (services, bulk inserts, a data fix), on PostgreSQL and SQLite
alike (the same statements; only the trigger wrappers differ). Readers sum a group's shards.

Each tally row of a source must fall in a group of its own (so the UPDATE … FROM in the refresh meets each total
row once): the group includes what tells a source's tallies apart (the case has one; an application's are per
year).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RunningTotals:
    #: The totals' table and the ledger's (tally) table.
    total: str
    tally: str
    #: The tally's column naming the source (``case_id``, ``application_id``).
    key: str
    #: The columns of a group, the same in both tables (the shard last).
    group: tuple[str, ...]
    #: The total's column counting the tallies in the group.
    count: str
    #: Amount columns, the same name in both tables, summed.
    sums: tuple[str, ...]
    #: The INSERT of the tallies of the source ``target`` (an SQL expression), or of every source when None.
    tally_insert: Callable[[str | None], str]

    @property
    def columns(self) -> str:
        return ", ".join(self.group)

    def refresh(self, target: str) -> list[str]:
        """The statements that move the source ``target`` (an SQL expression for its key) to its groups now."""
        match = " AND ".join(f"l.{column} = {self.total}.{column}" for column in self.group)
        less = ", ".join(
            [f"{self.count} = {self.total}.{self.count} - 1"]
            + [f"{column} = {self.total}.{column} - l.{column}" for column in self.sums]
        )
        more = ", ".join(
            [f"{self.count} = {self.total}.{self.count} + 1"]
            + [f"{column} = {self.total}.{column} + excluded.{column}" for column in self.sums]
        )
        values = ", ".join([self.count, *self.sums])
        return [
            # 1. Take the source's old tallies out of their groups.
            f"UPDATE {self.total} SET {less} FROM {self.tally} l WHERE l.{self.key} = {target} AND {match}",
            f"DELETE FROM {self.tally} WHERE {self.key} = {target}",
            # 2. The tallies as the rows say them now (none where the source counts nowhere).
            self.tally_insert(target),
            # 3. Put them into their groups.
            f"INSERT INTO {self.total} ({self.columns}, {values}) "
            f"SELECT {self.columns}, 1, {', '.join(self.sums)} FROM {self.tally} WHERE {self.key} = {target} "
            f"ON CONFLICT ({self.columns}) DO UPDATE SET {more}",
        ]

    def body(self, target: str) -> str:
        """The refresh as a trigger's (or a function's) body."""
        return "".join(f"  {statement};\n" for statement in self.refresh(target))

    def fill(self) -> list[str]:
        """Every tally and total again from the rows (a migration's fill, and a repair)."""
        sums = ", ".join(f"SUM({column})" for column in self.sums)
        return [
            f"DELETE FROM {self.total}",
            f"DELETE FROM {self.tally}",
            self.tally_insert(None),
            f"INSERT INTO {self.total} ({self.columns}, {self.count}, {', '.join(self.sums)}) "
            f"SELECT {self.columns}, COUNT(*), {sums} FROM {self.tally} GROUP BY {self.columns}",
        ]


def create_triggers(
    schema_editor, postgres: str, sqlite: Mapping[str, str], fill: list[str] | Callable[[str], list[str]]
) -> None:
    """Create the triggers for the database ``schema_editor`` works on (``postgres``: one script; ``sqlite``:
    name → what follows «CREATE TRIGGER name»), then fill the totals from the rows already there (``fill`` may
    depend on the vendor)."""
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(postgres)
        elif vendor == "sqlite":
            for name, body in sqlite.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        else:  # pragma: no cover - the project runs on these two
            raise NotImplementedError(f"no running totals for {vendor}")
        for statement in fill(vendor) if callable(fill) else fill:
            cursor.execute(statement)


def drop_triggers(schema_editor, postgres: str, sqlite: Mapping[str, str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(postgres)
        else:
            for name in sqlite:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
