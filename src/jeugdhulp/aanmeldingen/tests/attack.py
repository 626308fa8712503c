"""An attacker of the request monitor: reads every channel (page, map, CSV export, KPI API) as
one user, puts what they publish side by side, and solves for the hidden counts.

Every channel is read into the same shape: ``totaal`` and ``wachtlijst`` (the network's
requests and open waiting list, None when hidden or not given by the channel) and ``tables``:
breakdown name -> key -> count (None: hidden). The attack (``pinned``) takes the union of the
channels and, for every hidden count, its smallest and largest value over the integer points
that satisfy every published relation (``scipy.optimize.milp``): each breakdown adds up to its
total (the test data address each request to one partner and give it one domain, so the sums
are exact: the strongest case), a partner's waiting list is at most its requests, and a hidden
count is at least 1 because zeros are published (a partner's waiting list, hidden with the
partner's requests, at least 0). A count is pinned when its smallest and largest value agree
and are not 0.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
from bs4 import BeautifulSoup
from django.urls import reverse
from scipy.optimize import Bounds, LinearConstraint, milp

from jeugdhulp.aanmeldingen.models import Domein
from jeugdhulp.accounts.models import Organisation

CHANNELS = ("pagina", "kaart", "export", "api")
# Breakdowns whose counts add up to the network's requests, and the waiting list's per partner.
SUMS_TO_TOTAL = ("partner", "gemeente", "domein", "maand")
LARGE = 10**6


@dataclass
class Published:
    totaal: int | None = None
    wachtlijst: int | None = None
    tables: dict[str, dict[str, int | None]] = field(default_factory=dict)
    has_total: bool = True

    def counts(self) -> list[int]:
        """Every count this channel shows."""
        found = [self.totaal, self.wachtlijst] if self.has_total else []
        found += [v for table in self.tables.values() for v in table.values()]
        return [v for v in found if v is not None]


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


def _hidden_or_int(text: str, hidden: str = "te weinig gegevens") -> int | None:
    text = text.strip()
    if text in (hidden, ""):
        return None
    value = _int(text)
    assert value is not None, f"not a count: {text!r}"
    return value


def from_page(html: str) -> Published:
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select(".card__value")
    out = Published(
        totaal=_hidden_or_int(cards[0].get_text()), wachtlijst=_hidden_or_int(cards[-1].get_text())
    )

    def rows(caption: str):
        table = next(t for t in soup.find_all("table") if t.caption.get_text() == caption)
        return [[td for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]

    # The page names partners and domains by their labels and months as mm/yyyy: use the
    # codes the export and the API use.
    partner_code = dict(Organisation.objects.values_list("naam", "code"))
    domain_code = {str(label): code for code, label in Domein.choices}
    # Partners without requests (nor a waiting list) in the period are summed up in one line
    # that names them: each counts 0 in both tables.
    partner_rows = [r for r in rows("Per partner") if len(r) > 1]
    idle = [partner_code[li.get_text()] for li in soup.select("#partners-zonder li")]
    out.tables["partner"] = {
        **{partner_code[r[0].get_text()]: _hidden_or_int(r[1].get_text()) for r in partner_rows},
        **dict.fromkeys(idle, 0),
    }
    out.tables["wachtlijst"] = {
        **{partner_code[r[0].get_text()]: _hidden_or_int(r[-1].get_text()) for r in partner_rows},
        **dict.fromkeys(idle, 0),
    }
    out.tables["maand"] = {
        "-".join(reversed(r[0].get_text().split("/"))): _hidden_or_int(r[1].get_text())
        for r in rows("Per maand")
    }
    out.tables["domein"] = {
        domain_code[r[0].get_text()]: _hidden_or_int(r[1].get_text()) for r in rows("Per domein")
    }
    out.tables["gemeente"] = {
        re.search(r"\((\d+)\)", r[0].get_text()).group(1): _hidden_or_int(r[1].get_text())
        for r in rows("Per gemeente")
    }
    return out


def from_map(data: dict) -> Published:
    table = {f["properties"]["code"]: f["properties"]["aantal"] for f in data["features"]}
    for f in data["features"]:
        p = f["properties"]
        assert p["te_weinig"] == (p["aantal"] is None)
        assert (p["per_1000"] is None) or (p["aantal"] is not None)
    return Published(tables={"gemeente": table}, has_total=False)


def from_export(text: str) -> Published:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    head, body = rows[0], rows[1:]
    count, waiting = head.index("aantal"), head.index("open_wachtlijst")
    out = Published()
    for row in body:
        kind, code = row[0], row[1]
        if kind == "totaal":
            out.totaal, out.wachtlijst = _hidden_or_int(row[count]), _hidden_or_int(row[waiting])
        elif kind == "partner":
            out.tables.setdefault("partner", {})[code] = _hidden_or_int(row[count])
            out.tables.setdefault("wachtlijst", {})[code] = _hidden_or_int(row[waiting])
        else:
            name = {"gemeente": "gemeente", "domein": "domein", "maand": "maand"}[kind]
            out.tables.setdefault(name, {})[code] = _hidden_or_int(row[count])
    return out


def from_api(data: dict) -> Published:
    return Published(
        totaal=data["aantal"],
        wachtlijst=data["open_wachtlijst"],
        tables={
            "partner": {code: f["aantal"] for code, f in data["per_partner"].items()},
            "wachtlijst": {code: f["open_wachtlijst"] for code, f in data["per_partner"].items()},
        },
    )


def read(client, channel: str, query: dict) -> Published:
    """What one channel publishes for ``query`` (netwerk, van, tot[, partner])."""
    if channel == "pagina":
        response = client.get(reverse("aanmeldingen:dashboard"), query)
        assert response.status_code == 200
        return from_page(response.content.decode())
    if channel == "kaart":
        return from_map(client.get(reverse("aanmeldingen:kaart"), query).json())
    if channel == "export":
        return from_export(client.get(reverse("aanmeldingen:export"), query).content.decode())
    response = client.get("/api/v1/kpi/", query)
    assert response.status_code == 200, response.content
    return from_api(response.json())


def union(channels: dict[str, Published]) -> Published:
    """The channels side by side; a cell shown in one channel and hidden, or shown otherwise,
    in another fails (that alone would reveal it)."""
    out = Published(has_total=False)
    for name, pub in channels.items():
        for attr in ("totaal", "wachtlijst"):
            if not pub.has_total:
                continue
            mine, seen = getattr(pub, attr), getattr(out, attr)
            if out.has_total:
                assert mine == seen, f"{attr}: {name} gives {mine}, another channel {seen}"
            setattr(out, attr, mine)
        out.has_total = out.has_total or pub.has_total
        for table, cells in pub.tables.items():
            known = out.tables.setdefault(table, {})
            for key, value in cells.items():
                if key in known:
                    assert known[key] == value, f"{table}/{key}: {name} gives {value}"
                known[key] = value
    return out


def pinned(pub: Published) -> dict[str, tuple[int, int]]:
    """Every hidden count the attacker knows to within ±1 (its feasible values, all at least 1,
    span three or fewer): name -> (min, max). Empty when the attack recovers nothing."""
    names: list[str] = []
    lower: list[float] = []
    upper: list[float] = []

    def var(name: str, high: float, low: float = 1) -> int:
        names.append(name)
        lower.append(low)
        upper.append(high)
        return len(names) - 1

    total = pub.totaal if pub.totaal is not None else None
    n_var = None if total is not None else var("totaal", LARGE)
    w_var = None if pub.wachtlijst is not None else var("wachtlijst", LARGE)
    high = total if total is not None else LARGE
    cells: dict[tuple[str, str], int] = {}
    for table, values in pub.tables.items():
        for key, value in values.items():
            if value is None:
                # A partner's waiting list is hidden with its requests, also when it is 0.
                low = 0 if table == "wachtlijst" else 1
                cells[table, key] = var(f"{table}/{key}", high, low)
    if not names:
        return {}
    rows, lows, highs = [], [], []

    def relation(terms: dict[int, float], low: float, up: float) -> None:
        row = np.zeros(len(names))
        for index, coefficient in terms.items():
            row[index] += coefficient
        rows.append(row)
        lows.append(low)
        highs.append(up)

    for table in SUMS_TO_TOTAL:
        values = pub.tables.get(table)
        if not values:
            continue
        shown = sum(v for v in values.values() if v is not None)
        terms = {cells[table, k]: 1.0 for k, v in values.items() if v is None}
        if n_var is None:
            relation(terms, total - shown, total - shown)
        else:
            relation({**terms, n_var: -1.0}, -shown, -shown)
    waiting = pub.tables.get("wachtlijst")
    if waiting:
        shown = sum(v for v in waiting.values() if v is not None)
        terms = {cells["wachtlijst", k]: 1.0 for k, v in waiting.items() if v is None}
        if w_var is None:
            relation(terms, pub.wachtlijst - shown, pub.wachtlijst - shown)
        else:
            relation({**terms, w_var: -1.0}, -shown, -shown)
        partners = pub.tables.get("partner", {})
        for key, value in waiting.items():
            count = partners.get(key)
            # a partner's waiting list is at most its requests
            if value is None and count is not None:
                relation({cells["wachtlijst", key]: 1.0}, -np.inf, count)
            elif value is None and ("partner", key) in cells:
                relation({cells["wachtlijst", key]: 1.0, cells["partner", key]: -1.0}, -np.inf, 0)
            elif value is not None and ("partner", key) in cells:
                relation({cells["partner", key]: 1.0}, value, np.inf)
    constraints = [LinearConstraint(np.array(rows), lows, highs)] if rows else []
    bounds = Bounds(np.array(lower, float), np.array(upper, float))
    integrality = np.ones(len(names))
    found = {}
    for index, name in enumerate(names):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(names))
            c[index] = sign
            result = milp(c, constraints=constraints, bounds=bounds, integrality=integrality)
            assert result.success, f"the published figures contradict each other: {pub}"
            ends.append(round(result.x[index]))
        # Pinned: at least 1 and known to within ±1 (three values or fewer); an interval that
        # holds 0 discloses no child.
        if ends[0] >= 1 and ends[1] - ends[0] <= 2:
            found[name] = (ends[0], ends[1])
    return found


def small_counts(pub: Published, threshold: int) -> list[int]:
    return [v for v in pub.counts() if 1 <= v < threshold]
