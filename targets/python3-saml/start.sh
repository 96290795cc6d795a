#!/usr/bin/env bash
# Starts the python3-saml SP on 127.0.0.1:$SP_PORT (default 8402), trusting the four mock IdP
# tenants at 127.0.0.1:$IDP_PORT (default 7402). Prints "python3-saml SP listening on <url>".
# Needs Debian's python3-onelogin-saml2 (run with Debian's own /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export SP_PORT=${SP_PORT:-8402} IDP_PORT=${IDP_PORT:-7402}
export SP_KEY_FILE=$root/fixtures/keys/zoo-sp.key.pem SP_CERT_FILE=$root/fixtures/keys/zoo-sp.cert.pem
source "$root/targets/lib/run-sp.sh"
run_sp /usr/bin/python3 "$here/app.py"
