"""The shared kernel (kjerne): what every app may import, and which imports none of them.

- ``text``: bokmål-first interface text (``pick``) and small word helpers.
- ``formatting``: money in whole kroner, numbers, dates and Oslo time, in one place.
- ``phrases``: text with dates and links in it, for templates to mark up.
- ``permissions``: ``Permission`` — may this person do this, and if not, why (nb/en).
- ``refusals``: ``Refusal`` — the one base of every «this cannot be done» a service raises.
- ``views`` and ``api``: one decorator and one API handler that turn a ``Refusal`` into a page or JSON.
- ``templatetags/tilskudd_ui``: the one template-tag library; ``templates/core/``: the shared partials.

``text``, ``formatting``, ``phrases``, ``permissions`` and ``refusals`` are plain Python (no Django),
so the rule engine may use them too.
"""
