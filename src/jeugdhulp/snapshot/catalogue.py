"""The default catalogue of forms of help (hulpvormen), as in the product design.

Codes are stable; labels are Dutch and editable per round in the web application. ``usual_access``
is where the form of help is usually reached: ``RTJH``, ``NRTJH``, ``beide`` (both) or ``crisis``
(the crisis route).
"""

from __future__ import annotations

from typing import NamedTuple


class Hulpvorm(NamedTuple):
    code: str
    label: str
    usual_access: str


HULPVORMEN: dict[str, Hulpvorm] = {
    h.code: h
    for h in (
        Hulpvorm("BI", "brede instap / onthaal", "RTJH"),
        Hulpvorm("IA", "informatie en advies", "RTJH"),
        Hulpvorm(
            "KP",
            "kortdurende psychologische begeleiding (eerstelijnspsychologische functie)",
            "RTJH",
        ),
        Hulpvorm("DI", "diagnostiek", "beide"),
        Hulpvorm("CB", "contextbegeleiding (aan huis, individueel)", "beide"),
        Hulpvorm("DB", "dagbegeleiding in groep", "RTJH"),
        Hulpvorm("BH", "behandeling (CGG, revalidatie, K-dienst ambulant)", "beide"),
        Hulpvorm("TR", "training (ouders, jongeren)", "RTJH"),
        Hulpvorm("CO", "consult (voor hulpverleners)", "RTJH"),
        Hulpvorm("PZ", "pleegzorg", "beide"),
        Hulpvorm("VB", "verblijf (residentieel, K-dienst opname)", "NRTJH"),
        Hulpvorm(
            "CR", "crisisinterventie (crisismeldpunt, crisisbegeleiding, crisisverblijf)", "crisis"
        ),
        Hulpvorm("HA", "herstelgerichte en constructieve afhandeling", "NRTJH"),
    )
}
