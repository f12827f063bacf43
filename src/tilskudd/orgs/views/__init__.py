"""Pages for organisations, people, delegations and grantor staff's confirmations, one module per area.

Thin views over :mod:`tilskudd.orgs.services`. A person outside an
organisation gets 404 for its pages (its existence does not leak); a member
who may not do something gets 403 with the reason in plain words.
"""
