"""Query parameters read by views: a bad value answers 400 with a Dutch message, never 500."""

from __future__ import annotations

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _

# The largest primary key both databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def id_param(request, name: str) -> int | None:
    """Query parameter ``name`` as an object id; ``None`` when absent or empty."""
    field = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    try:
        return field.clean(request.GET.get(name))
    except ValidationError as error:
        raise BadRequest(
            _("De parameter '%(name)s' moet een geldig nummer zijn.") % {"name": name}
        ) from error


def text_param(request, name: str, default: str = "", max_length: int = 200) -> str:
    """Query parameter ``name`` as text (a code, a name); ``default`` when absent or empty. A NUL
    character (which PostgreSQL refuses in a query) or an over-long value answers 400."""
    field = forms.CharField(max_length=max_length, required=False)
    try:
        value = field.clean(request.GET.get(name))
    except ValidationError as error:
        raise BadRequest(
            _("De parameter '%(name)s' bevat een ongeldige waarde.") % {"name": name}
        ) from error
    return value or default
