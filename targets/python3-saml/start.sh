#!/usr/bin/env bash
# Starts the python3-saml SP on 127.0.0.1:$SP_PORT (default 8402), trusting the four mock IdP
# tenants at 127.0.0.1:$IDP_PORT (default 7402). Prints "python3-saml SP listening on <url>".
# Needs Debian's python3-onelogin-saml2 (run with Debian's own /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export SP_PORT=${SP_PORT:-8402} IDP_PORT=${IDP_PORT:-7402}
# A metadata directory made here is removed when the SP stops.
made=
if [ -z "${IDP_METADATA_DIR:-}" ]; then
  IDP_METADATA_DIR=$(mktemp -d)
  made=$IDP_METADATA_DIR
fi
export IDP_METADATA_DIR
trap 'if [ -n "$made" ]; then rm -rf "$made"; fi' EXIT
export SP_KEY_FILE=$root/fixtures/keys/zoo-sp.key.pem SP_CERT_FILE=$root/fixtures/keys/zoo-sp.cert.pem
node --import tsx targets/lib/idp-metadata.ts "$IDP_PORT" "$IDP_METADATA_DIR"
/usr/bin/python3 "$here/app.py" &
app=$!
trap 'kill -TERM $app 2>/dev/null; wait $app 2>/dev/null; exit 0' TERM INT
wait $app
