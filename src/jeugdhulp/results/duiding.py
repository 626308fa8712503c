"""Recording and reading duiding (see :mod:`~jeugdhulp.results.duiding_models`): the form, the
summary the map's detail panel and the plain page show, the export table and the report's rows.

Writes go through the ORM, so the audit signals record every create, change and delete with the
acting user and the names of the changed fields. This module queues nothing (a fresh report after
a change is queued by the views through :mod:`~jeugdhulp.results.tasks`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdhulp.accounts.models import Organisation, Role
from jeugdhulp.accounts.permissions import scope_of
from jeugdhulp.results.duiding_models import MAX_TOELICHTING, Duiding, Factor, Herkenning
from jeugdhulp.results.indicators import CATEGORY_LABELS
from jeugdhulp.results.models import AnalysisRun, IndicatorRow

PRIVACY_WARNING = gettext_lazy(
    "Schrijf niets over individuele kinderen, jongeren of gezinnen: iedereen die de resultaten "
    "mag zien, leest deze toelichting."
)
# The published figures shown beside a duiding (the map's values of the same run).
FIGURES = (
    ("aantal_clienten", gettext_lazy("Kinderen in hulp"), 0),
    ("bereik_per_1000", gettext_lazy("Bereik per 1.000 jongeren"), 1),
    ("verwacht", gettext_lazy("Verwacht aantal kinderen"), 1),
    ("ratio", gettext_lazy("Verhouding werkelijk / verwacht"), 2),
    ("ratio_eb", gettext_lazy("Gladgestreken verhouding"), 2),
)


class DuidingForm(forms.Form):
    herkend = forms.ChoiceField(
        label=gettext_lazy("Herkent u dit verschil tussen verwacht en werkelijk gebruik?"),
        choices=Herkenning.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies herkend, niet herkend of weet niet.")},
    )
    factoren = forms.MultipleChoiceField(
        label=gettext_lazy("Welke lokale factoren verklaren het?"),
        choices=Factor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    toelichting = forms.CharField(
        label=gettext_lazy("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TOELICHTING}),
        max_length=MAX_TOELICHTING,
        required=False,
        help_text=PRIVACY_WARNING,
        strip=True,
    )


@dataclass(frozen=True)
class Target:
    """An area and form of help of a run that may receive a duiding."""

    run: AnalysisRun
    row: IndicatorRow

    @property
    def gebied_code(self) -> str:
        return self.row.gebied_code

    @property
    def hulpvorm(self) -> str:
        return self.row.hulpvorm


def target(run: AnalysisRun, gebied_code: str, hulpvorm: str) -> Target | None:
    """The published row of ``gebied_code`` × ``hulpvorm`` in ``run``; ``None`` if the run has
    no such area or form (a duiding is only about a published area)."""
    if hulpvorm not in run.hulpvormen:
        return None
    row = IndicatorRow.objects.filter(run=run, gebied_code=gebied_code, hulpvorm=hulpvorm).first()
    return None if row is None else Target(run, row)


def author_organisation(user, run: AnalysisRun) -> Organisation | None:
    """The author's organisation shown beside the text instead of the person's name: the run's
    region when the author is its analist or coördinator there, else the first organisation where
    they hold such a role (a grouping that reaches the region)."""
    held = scope_of(user).organisations(Role.COORDINATOR, Role.ANALIST)
    if run.organisatie_id in held:
        return run.organisatie
    return Organisation.objects.filter(pk__in=held).order_by("naam").first()


def own(run: AnalysisRun, user, gebied_code: str, hulpvorm: str) -> Duiding | None:
    return Duiding.objects.filter(
        ronde_id=run.ronde_id, gebied_code=gebied_code, hulpvorm=hulpvorm, auteur=user
    ).first()


def save(place: Target, user, data: dict) -> Duiding:
    """Record or update ``user``'s duiding of ``place`` from a valid :class:`DuidingForm`'s
    ``cleaned_data``."""
    duiding = own(place.run, user, place.gebied_code, place.hulpvorm) or Duiding(
        ronde_id=place.run.ronde_id,
        organisatie_id=place.run.organisatie_id,
        gebied_code=place.gebied_code,
        hulpvorm=place.hulpvorm,
        auteur=user,
        auteur_organisatie=author_organisation(user, place.run),
    )
    duiding.herkend = data["herkend"]
    # In the order of the list, each once, whatever order the form sent.
    duiding.factoren = [code for code in Factor.values if code in set(data["factoren"])]
    duiding.toelichting = data["toelichting"]
    duiding.save()
    return duiding


def of_area(run: AnalysisRun, gebied_code: str, hulpvorm: str):
    return Duiding.objects.filter(
        ronde_id=run.ronde_id, gebied_code=gebied_code, hulpvorm=hulpvorm
    ).select_related("auteur_organisatie")


def summary(items) -> dict:
    """What the detail panel and the pages show of several people's duiding of one area:
    the counts of each answer, each factor with its count (most named first), and the texts
    with the author's organisation and date (newest first)."""
    items = list(items)
    answers = Counter(d.herkend for d in items)
    factors = Counter(code for d in items for code in d.factoren)
    return {
        "aantal": len(items),
        "antwoorden": [
            {"code": code, "label": str(label), "aantal": answers.get(code, 0)}
            for code, label in Herkenning.choices
        ],
        "factoren": [
            {"code": code, "label": str(Factor(code).label), "aantal": n}
            for code, n in sorted(
                factors.items(), key=lambda item: (-item[1], Factor.values.index(item[0]))
            )
            if code in Factor.values
        ],
        "teksten": [
            {
                "tekst": d.toelichting,
                "herkend": str(Herkenning(d.herkend).label),
                "organisatie": d.organisatie_naam,
                "datum": timezone.localtime(d.gewijzigd_op).strftime("%d/%m/%Y"),
            }
            for d in sorted(items, key=lambda d: d.gewijzigd_op, reverse=True)
            if d.toelichting
        ],
    }


def figures(row: IndicatorRow) -> list[dict]:
    """The area's published figures (``None`` where hidden), as the map shows them."""
    shown = []
    for column, label, decimals in FIGURES:
        value = getattr(row, column)
        shown.append({"label": str(label), "waarde": value, "decimalen": decimals})
    shown.append(
        {
            "label": str(_("Hotspots en blauwe zones")),
            "waarde": str(CATEGORY_LABELS.get(row.cluster, row.cluster or "—")),
            "decimalen": None,
        }
    )
    return shown


EXPORT_COLUMNS = [
    "gebied_code",
    "gebied_naam",
    "hulpvorm",
    "herkend",
    "factoren",
    "toelichting",
    "organisatie",
    "aangemaakt_op",
    "gewijzigd_op",
]


def export_frame(run: AnalysisRun) -> pd.DataFrame:
    """Every duiding of the run's round, one row per person × area × form: codes for the answer
    and the factors (``|``-separated), the author's organisation, never the person."""
    names = dict(
        IndicatorRow.objects.filter(run=run, hulpvorm="ALLE").values_list(
            "gebied_code", "gebied_naam"
        )
    )
    rows = [
        {
            "gebied_code": d.gebied_code,
            "gebied_naam": names.get(d.gebied_code, ""),
            "hulpvorm": d.hulpvorm,
            "herkend": d.herkend,
            "factoren": "|".join(d.factoren),
            "toelichting": d.toelichting,
            "organisatie": d.organisatie_naam,
            "aangemaakt_op": timezone.localtime(d.aangemaakt_op).isoformat(timespec="seconds"),
            "gewijzigd_op": timezone.localtime(d.gewijzigd_op).isoformat(timespec="seconds"),
        }
        for d in Duiding.objects.filter(ronde_id=run.ronde_id).select_related("auteur_organisatie")
    ]
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def report_rows(run: AnalysisRun) -> list[dict]:
    """Per area × form with a duiding: the area's published figures of ``run`` beside the
    summary of what people recorded, areas by name."""
    by_place: dict[tuple[str, str], list[Duiding]] = {}
    for d in Duiding.objects.filter(ronde_id=run.ronde_id).select_related("auteur_organisatie"):
        by_place.setdefault((d.gebied_code, d.hulpvorm), []).append(d)
    if not by_place:
        return []
    rows = {
        (r.gebied_code, r.hulpvorm): r
        for r in IndicatorRow.objects.filter(
            run=run,
            gebied_code__in={code for code, _ in by_place},
            hulpvorm__in={form for _, form in by_place},
        )
    }
    out = []
    for place, items in by_place.items():
        row = rows.get(place)
        if row is None:  # an area or form this version does not publish
            continue
        out.append(
            {
                "gebied_code": row.gebied_code,
                "gebied_naam": row.gebied_naam,
                "hulpvorm": row.hulpvorm,
                "ratio_eb": row.ratio_eb,
                "bereik": row.bereik_per_1000,
                "cluster": str(CATEGORY_LABELS.get(row.cluster, "")) if row.cluster else "",
                "duiding": summary(items),
            }
        )
    return sorted(out, key=lambda r: (r["gebied_naam"], r["hulpvorm"]))
