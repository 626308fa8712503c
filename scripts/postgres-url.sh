#!/usr/bin/env bash
# Prints the PostgreSQL URL the tests should use, or nothing when none is to be used.
# DATABASE_URL wins when it points to PostgreSQL; else a server on 127.0.0.1:5432; with CI=true
# PostgreSQL is mandatory: when none answers, one is started from Debian's postgresql package.
set -euo pipefail
if [[ "${DATABASE_URL:-}" == postgres* ]]; then echo "$DATABASE_URL"; exit 0; fi
default="postgres://postgres@127.0.0.1:5432/postgres"
answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_isready >/dev/null; then
  [ "${CI:-}" = "true" ] || exit 0
  "$(dirname "$0")/install-debs.sh" postgresql >&2
fi
if answers; then echo "$default"; exit 0; fi
[ "${CI:-}" = "true" ] || exit 0
echo "No PostgreSQL answers on 127.0.0.1:5432; starting the Debian cluster." >&2
"$(dirname "$0")/install-debs.sh" postgresql >&2
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
for _ in $(seq 1 30); do answers && { echo "$default"; exit 0; }; sleep 1; done
echo "PostgreSQL did not start; see /var/log/postgresql." >&2
exit 1
