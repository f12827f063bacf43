"""The applicant's pages: start, fill in, check, sign, submit, withdraw, history and «Min side».

Thin views over ``services`` (the only place that changes state) and the pure
``formbuilder``. Every view checks the permission functions; an application
of another organisation is a 404, never a 403, so that its existence does not
leak.

One module per part of the walk: ``drafts`` (start, the form), ``attachments``,
``submission`` (review and sign, submit, the receipt, withdraw), ``decisions``
(completion requests and published decisions with their letters), ``history``
and ``my_page``; ``common`` and ``progress`` hold what they share.
"""
