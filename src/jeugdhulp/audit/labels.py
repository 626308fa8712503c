"""The audit log's object types by name, as a person reads them.

An event stores its object type as the model's ``app_label.model_name`` ("triage.rulesetversion")
or, for events about no single row, as a kind of its own ("reference.load_gebieden",
"wachtwoordherstel"). The admin shows the model's verbose name instead ("Versie van een
regelset"), and a name for those other kinds; an unknown type is shown as stored.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Kinds that name no model.
OTHER_KINDS = {
    "reference.load_gebieden": _("Referentiegegevens: gebieden geladen"),
    "reference.load_bevolking": _("Referentiegegevens: bevolking geladen"),
    "reference.load_kenmerken": _("Referentiegegevens: kenmerken geladen"),
    "wachtwoordherstel": _("Wachtwoordherstel"),
}


def object_type_label(kind: str) -> str:
    """The name of the object type ``kind`` in the active language."""
    if not kind:
        return ""
    if kind in OTHER_KINDS:
        return str(OTHER_KINDS[kind])
    app_label, _dot, model_name = kind.partition(".")
    if model_name:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return kind
        return str(capfirst(model._meta.verbose_name))
    return kind
