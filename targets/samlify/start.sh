#!/usr/bin/env bash
# Starts the samlify SP on 127.0.0.1:$SP_PORT (default 8404), trusting the four mock IdP
# tenants at 127.0.0.1:$IDP_PORT (default 7404). Prints "samlify SP listening on <url>".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export SP_PORT=${SP_PORT:-8404} IDP_PORT=${IDP_PORT:-7404}
export SP_KEY_FILE=$root/fixtures/keys/zoo-sp.key.pem SP_CERT_FILE=$root/fixtures/keys/zoo-sp.cert.pem
source "$root/targets/lib/run-sp.sh"
run_sp node --import tsx "$here/app.ts"
