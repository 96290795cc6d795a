# Sourced by a target's start.sh, after SP_PORT and IDP_PORT are set: writes the four mock IdP
# tenants' metadata to $IDP_METADATA_DIR (a temporary directory unless given, removed on exit),
# then run_sp runs the SP's command until it exits or the script is told to stop.
made_metadata_dir=
if [ -z "${IDP_METADATA_DIR:-}" ]; then
  IDP_METADATA_DIR=$(mktemp -d)
  made_metadata_dir=$IDP_METADATA_DIR
fi
export IDP_METADATA_DIR
trap 'if [ -n "$made_metadata_dir" ]; then rm -rf "$made_metadata_dir"; fi' EXIT
node --import tsx "$(dirname "${BASH_SOURCE[0]}")/idp-metadata.ts" "$IDP_PORT" "$IDP_METADATA_DIR"

run_sp() {
  "$@" &
  sp_pid=$!
  trap 'kill -TERM $sp_pid 2>/dev/null; wait $sp_pid 2>/dev/null; exit 0' TERM INT
  wait $sp_pid
}
