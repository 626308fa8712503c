"""Entries of the home page and the main menu, contributed by each app in its ``ready()``.

An entry is shown to a user who has its permission, so the home page fits every role without
this module knowing the roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    title: str
    description: str
    url_name: str
    permission: str
    order: int = 100
    in_menu: bool = True


_ENTRIES: list[Entry] = []


def register(entry: Entry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def entries_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    visible = sorted(
        (e for e in _ENTRIES if user.has_perm(e.permission)), key=lambda e: (e.order, e.url_name)
    )
    return [
        {
            "title": e.title,
            "description": e.description,
            "url": reverse(e.url_name),
            "menu": e.in_menu,
        }
        for e in visible
    ]
