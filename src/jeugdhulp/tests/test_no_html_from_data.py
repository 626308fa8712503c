"""No script or template turns data into HTML (#12 finding 6).

A round's, area's or organisation's name reaches the browser as data; the scripts build the page
with ``createElement``/``textContent``/``replaceChildren`` and the templates let Django escape it.
This test fails on any project script that writes HTML text, and any template or module that
switches escaping off.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(SRC.glob("*/static/**/*.js"))
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))
HTML_SINKS = re.compile(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\.html\(")
UNESCAPED = re.compile(r"\|\s*safe\b|{%\s*autoescape\s+off|mark_safe|safeseq")
# Plain-text e-mails are not HTML: Django's own password-reset mail is written unescaped.
TEXT_MAILS = {"core/templates/registration/password_reset_email.html"}


def test_the_project_has_scripts_and_templates_to_check():
    names = {p.name for p in SCRIPTS}
    assert {"map.js", "trends.js", "kaart.js", "common.js"} <= names
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(SRC)))
def test_no_script_writes_html_text(script):
    found = [
        f"{script.relative_to(SRC)}:{n}: {line.strip()}"
        for n, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1)
        if HTML_SINKS.search(line)
    ]
    assert not found, "build elements with createElement/textContent instead:\n" + "\n".join(found)


def test_no_template_or_module_switches_escaping_off():
    found = []
    for path in [*TEMPLATES, *SRC.glob("**/*.py")]:
        relative = str(path.relative_to(SRC))
        if relative in TEXT_MAILS or "tests" in path.relative_to(SRC).parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNESCAPED.search(line):
                found.append(f"{relative}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_sink_pattern_finds_what_it_must():
    for line in [
        'el.innerHTML = "<b>" + name;',
        "box.outerHTML=x",
        "document.write(x)",
        "node.insertAdjacentHTML('beforeend', x)",
    ]:
        assert HTML_SINKS.search(line), line
    assert not HTML_SINKS.search("el.textContent = name;")
