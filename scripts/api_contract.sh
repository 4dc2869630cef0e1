#!/usr/bin/env bash
# Tests `boxoffice serve` against its OpenAPI document (schemas/openapi.yaml) with schemathesis: a
# demo store served on 127.0.0.1, every /v1 operation, a bounded number of examples (fixed seed) and
# a time limit. Fails on any 5xx, an undocumented status or content type, or a body that breaks its
# schema; and on a password or session token in the server's log.
#
#     scripts/api_contract.sh [MAX_EXAMPLES]      (default 20; `make test` runs it after swift test)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-20}

python3 -m pip show schemathesis >/dev/null 2>&1 || python3 -m pip install --quiet 'schemathesis==4.32.5'
schemathesis=$(python3 -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "schemathesis"))')

bin="$(swift build --show-bin-path)/boxoffice"
work=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-contract.XXXXXX")
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" demo --db "$work/demo.sqlite" > /dev/null
BOXOFFICE_SMTP_URL='' "$bin" serve --db "$work/demo.sqlite" --port 0 > "$work/out" 2> "$work/serve.log" &
pid=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/out")
[[ -n "$url" ]] || { echo "api_contract.sh: boxoffice serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

# A cashier's session, so the staff routes are exercised too, not only refused.
password=demo-pass-123
token=$(curl -s -i -X POST "$url/v1/sessions" -H 'Content-Type: application/json' \
  -d "{\"email\": \"cashier@demo.example\", \"password\": \"$password\"}" \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: session=\([^;]*\).*/\1/p')
[[ -n "$token" ]] || { echo "api_contract.sh: the cashier could not log in" >&2; exit 1; }

echo "api_contract.sh: schemathesis against $url, at most $examples examples an operation"
# From the scratch folder: schemathesis keeps its example cache (.schemathesis/) where it runs.
document="$PWD/schemas/openapi.yaml"
(cd "$work" && "$schemathesis" run "$document" --url "$url" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 18 --max-time 60 --request-timeout 10 --workers 1 \
  -H "Authorization: Bearer $token" --exclude-path /v1/sessions --exclude-method DELETE)

if grep -q -e "$password" -e "$token" "$work/serve.log"; then
  echo "api_contract.sh: the server's log holds a password or a session token" >&2
  exit 1
fi
echo "api_contract.sh: $(grep -c ' request$\| \[BoxOfficeServer\] request' "$work/serve.log") requests, none a 5xx or off the document"
