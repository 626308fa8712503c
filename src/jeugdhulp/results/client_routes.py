"""The client-routes page: reporting over snapshot rounds and requests, as tables and flow
diagrams drawn on the server (SVG, no script), all disclosure-controlled:

- children's routes across snapshot rounds (per pseudonym, from ``rounds.services
  .round_snapshot``): the most common sequences of forms of help, the step-ups (RTJH → NRTJH)
  and step-downs between consecutive rounds, and the flow of access between rounds. Only the
  rounds of one organising region the user follows (``rounds.follow_round``) are combined;
  partner-local identifiers (``L-``) cannot be followed across partners or rounds and are left
  out;
- families' sequences of help across their requests (below).

A family's route is the sequence of forms of help started for it (``hulp_gestart`` events, by
date) over all its requests; "stap 1", "stap 2", ... play the role of rounds in
``jeugdhulp.analysis.routes``, so a family with one start flows from step 1 to "—" (no further
help). Only families with a request addressed to an organisation that the user's coordinator
or analist role reaches are counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from jeugdhulp.aanmeldingen import access
from jeugdhulp.aanmeldingen.models import Aanmelding, Gebeurtenis, GebeurtenisType
from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import can, scope_of
from jeugdhulp.analysis import routes
from jeugdhulp.reference import lookups
from jeugdhulp.rounds.models import Round
from jeugdhulp.rounds.services import round_snapshot
from jeugdhulp.snapshot.schema import LOCAL_PREFIX

WIDTH, HEIGHT, NODE_WIDTH, GAP = 760.0, 360.0, 14.0, 10.0
TOP_ROUTES = 20  # most common routes shown; the rest is not listed (never a small count)


def followed_rounds(user) -> dict:
    """The user's followed rounds per organising region: {region: [rounds by peildatum]}."""
    regions: dict = {}
    for ronde in Round.objects.select_related("organisatie").order_by("peildatum", "pk"):
        if can(user, "rounds.follow_round", ronde):
            regions.setdefault(ronde.organisatie, []).append(ronde)
    return regions


def round_states(rounds: list) -> pd.DataFrame:
    """One row per child × round: its forms of help and access on that round's peildatum. The
    period is the round's position in ``rounds`` (in time order): an integer column keeps the
    groupby reductions in ``analysis.routes`` vectorised, where date objects would not be."""
    rows = routes.stack_rounds([(i, round_snapshot(ronde)) for i, ronde in enumerate(rounds)])
    rows = rows[~rows[routes.CLIENT].astype(str).str.startswith(LOCAL_PREFIX)]
    if rows.empty:
        return pd.DataFrame(columns=[routes.CLIENT, routes.PERIOD, routes.STATE, routes.ACCESS])
    return routes.client_states(rows)


def rounds_context(user, region_pk: str | None, threshold: int) -> dict:
    """The across-rounds part of the page for one region (the chosen one, else the first)."""
    regions = followed_rounds(user)
    if not regions:
        return {"regions": []}
    region = next((r for r in regions if str(r.pk) == region_pk), next(iter(regions)))
    rounds = regions[region]
    states = round_states(rounds)
    if states.empty:
        return {"regions": list(regions), "region": region, "rounds": rounds, "children": 0}
    labels = dict(enumerate(r.naam for r in rounds))
    # A route across rounds needs a child in more than one round.
    followed = states.groupby(routes.CLIENT)[routes.PERIOD].transform("size") > 1
    route_table = routes.route_counts(routes.extract_routes(states[followed]), threshold)
    access_states = states[followed].assign(**{routes.STATE: states[routes.ACCESS]})
    access_routes = routes.route_counts(routes.extract_routes(access_states), threshold)
    access_flows = routes.suppress_transitions(routes.transitions(states), threshold)
    steps = routes.step_summary(access_flows) if len(access_flows) else pd.DataFrame()
    nodes, links = sankey(access_flows, labels)
    return {
        "regions": list(regions),
        "region": region,
        "rounds": rounds,
        "children": int(states[routes.CLIENT].nunique()),
        "in_several": int(states.loc[followed, routes.CLIENT].nunique()),
        "round_routes": route_table.head(TOP_ROUTES).to_dict("records"),
        "more_routes": max(len(route_table) - TOP_ROUTES, 0),
        "access_routes": access_routes.to_dict("records"),
        "steps": [
            {
                "van": labels[row["van_periode"]],
                "naar": labels[row["naar_periode"]],
                # a hidden figure (NA) is shown as hidden, never as 0
                "soorten": [None if pd.isna(row[k]) else int(row[k]) for k in routes.STEP_KINDS],
            }
            for row in steps.to_dict("records")
        ],
        "round_nodes": nodes,
        "round_links": links,
    }


def family_states(user) -> pd.DataFrame:
    """One row per family × step: the form(s) of help started at that step."""
    reach = scope_of(user).reaches(Role.COORDINATOR, Role.ANALIST)
    families = Aanmelding.objects.filter(pk__in=access.addressed_to(reach)).values("gezin_id")
    rows = pd.DataFrame.from_records(
        Gebeurtenis.objects.filter(
            type=GebeurtenisType.HULP_GESTART, aanmelding__gezin_id__in=families
        )
        .exclude(hulpvorm="")
        .order_by("aanmelding__gezin_id", "datum", "id")
        .values_list("aanmelding__gezin_id", "datum", "hulpvorm"),
        columns=[routes.CLIENT, "datum", routes.FORM],
    )
    if rows.empty:
        return pd.DataFrame(columns=[routes.CLIENT, routes.PERIOD, routes.STATE])
    # Starts on the same day are one step.
    rows[routes.PERIOD] = rows.groupby(routes.CLIENT)["datum"].rank(method="dense").astype(int)
    return routes.client_states(rows)


@dataclass
class Node:
    period: object
    state: str
    count: int
    x: float
    y: float
    height: float


@dataclass
class Link:
    path: str
    width: float
    label: str


def sankey(flows: pd.DataFrame, labels: dict) -> tuple[list[Node], list[Link]]:
    """Geometry of a flow diagram from suppressed transitions: one column per period, a node
    per state sized by the shown flows through it, links as bands; hidden flows are left out
    (node sizes are then the sums of what is shown, never a hidden margin)."""
    shown = flows[
        ~flows["verborgen"] & (flows["van"] != "totaal") & (flows["naar"] != "totaal")
    ].copy()
    if shown.empty:
        return [], []
    shown["aantal"] = shown["aantal"].astype(int)
    periods = sorted(set(shown["van_periode"]) | set(shown["naar_periode"]))
    outflow = shown.groupby(["van_periode", "van"])["aantal"].sum()
    inflow = shown.groupby(["naar_periode", "naar"])["aantal"].sum()
    # A node in the middle carries both its in- and outflow; it is as tall as the larger.
    size = outflow.combine(inflow, max, fill_value=0).to_dict()
    tallest = max(sum(n for (p, _s), n in size.items() if p == period) for period in periods)
    states_per = max(sum(1 for (p, _s) in size if p == period) for period in periods)
    scale = (HEIGHT - GAP * (states_per - 1)) / tallest
    step = (WIDTH - NODE_WIDTH) / max(len(periods) - 1, 1)
    nodes: dict[tuple, Node] = {}
    for i, period in enumerate(periods):
        y = 0.0
        here = [(state, n) for (p, state), n in size.items() if p == period]
        # Largest first, "—" (no further help) at the bottom.
        for state, n in sorted(here, key=lambda sn: (sn[0] == routes.ABSENT, -sn[1], sn[0])):
            nodes[(period, state)] = Node(period, state, int(n), i * step, y, n * scale)
            y += n * scale + GAP
    out_offset = {key: 0.0 for key in nodes}
    in_offset = {key: 0.0 for key in nodes}
    links = []
    for row in shown.sort_values(["van_periode", "van", "naar"]).itertuples():
        source, target = nodes[(row.van_periode, row.van)], nodes[(row.naar_periode, row.naar)]
        width = row.aantal * scale
        y0 = source.y + out_offset[(row.van_periode, row.van)] + width / 2
        y1 = target.y + in_offset[(row.naar_periode, row.naar)] + width / 2
        out_offset[(row.van_periode, row.van)] += width
        in_offset[(row.naar_periode, row.naar)] += width
        x0, x1 = source.x + NODE_WIDTH, target.x
        middle = (x0 + x1) / 2
        links.append(
            Link(
                path=f"M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} "
                f"{x1:.1f},{y1:.1f}",
                width=max(width, 1.0),
                label=f"{labels.get(row.van_periode, row.van_periode)} {row.van} → "
                f"{labels.get(row.naar_periode, row.naar_periode)} {row.naar}: {row.aantal}",
            )
        )
    return list(nodes.values()), links


def help_legend(*texts: str) -> list[tuple[str, str]]:
    """(code, name) of the forms of help named by code in ``texts`` (routes, states): the page
    shows the codes compactly and says once what each one is."""
    tokens = {token for text in texts for token in re.findall(r"[\w-]+", str(text))}
    return sorted(lookups.hulpvorm_names(tokens).items())


def view_box() -> str:
    """The diagrams' viewBox: the drawing plus room for the labels right of the last column."""
    return f"-4 -4 {WIDTH + 120:.0f} {HEIGHT + 20:.0f}"


def page_context(user, region_pk: str | None = None) -> dict:
    threshold = settings.JEUGDHULP_DISCLOSURE_THRESHOLD
    states = family_states(user)
    route_table = routes.route_counts(
        routes.extract_routes(states, gaps=False), threshold, min_steps=1
    )
    flows = routes.suppress_transitions(routes.transitions(states, column=routes.STATE), threshold)
    labels = {p: _("stap %(n)s") % {"n": p} for p in sorted(set(states[routes.PERIOD]))}
    nodes, links = sankey(flows, labels)
    across = rounds_context(user, region_pk, threshold)
    named = [r["route"] for r in route_table.to_dict("records")] + [n.state for n in nodes]
    named += [r["route"] for r in across.get("round_routes", [])]
    return {
        "routes": route_table.to_dict("records"),
        "other_label": routes.OTHER_ROUTES,
        "nodes": nodes,
        "links": links,
        "labels": labels,
        # SVG attributes are numbers in C notation: formatted here, never by the page's locale
        # (a Dutch page would write "880,0", which the browser refuses).
        "view_box": view_box(),
        "threshold": threshold,
        "across": across,
        "legend": help_legend(*named),
    }
