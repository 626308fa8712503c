#!/usr/bin/env bash
# Compiles every app's gettext catalog (.po -> .mo) with Django's compilemessages.
set -euo pipefail
cd "$(dirname "$0")/../src/jeugdhulp"
"$1" compilemessages --ignore='.venv' -v 0
