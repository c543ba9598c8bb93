#!/usr/bin/env bash
# schemathesis against a running server (clients/run starts it): every operation, all
# checks, as each demo role and with an API token, with a bounded number of examples per
# operation.
# Usage: clients/schemathesis.sh BASE_URL [EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
examples=${2:-${SCHEMATHESIS_EXAMPLES:-15}}
tools=target/client-tools/bin
out=target/clients
status=0
# Every token first: fuzzing the sign-in trips its brute-force limiter for this address.
# The admin goes last: fuzzing the accounts deactivates the others' (never its own).
declare -A tokens
roles=()
for account in mess@rqds.example:demo-observateur estrie@rqds.example:demo-delegation \
    ca@rqds.example:demo-conseil-admin coordination@rqds.example:demo-coordination; do
    email=${account%%:*}
    password=${account#*:}
    role=${email%%@*}
    roles+=("$role")
    tokens[$role]=$(curl -fsS -H 'Content-Type: application/json' \
        -d "{\"email\": \"$email\", \"password\": \"$password\"}" "$base/api/v1/auth/login" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
done
# And another system's way in: a read API token of the coordination (`pat_…`), made before
# the fuzzing can deactivate anyone; a read token cannot revoke itself (GET only).
tokens[token]=$(curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer ${tokens[coordination]}" \
    -d '{"name": "schemathesis", "scope": "read"}' "$base/api/v1/me/api-tokens" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
roles=(token "${roles[@]}")
for role in "${roles[@]}"; do
    echo "schemathesis as $role…"
    if ! SCHEMATHESIS_HOOKS=clients/schemathesis_hooks.py "$tools/schemathesis" --config-file clients/schemathesis.toml run openapi/openapi.json \
        --url "$base" -H "Authorization: Bearer ${tokens[$role]}" \
        --max-examples "$examples" --report junit --report-dir "$out/schemathesis-$role" \
        >"$out/schemathesis-$role.log" 2>&1; then
        status=1
    fi
    grep -E "^(Test cases|API Operations|Failures|Errors|=====)" "$out/schemathesis-$role.log" | tail -n 6 || true
done
exit $status
