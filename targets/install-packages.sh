#!/usr/bin/env bash
# Installs the Debian packages the SP zoo runs on, when some are missing: SimpleSAMLphp in
# Apache with mod_php, and OneLogin's python3-saml. The npm SPs come with `npm install`.
# Needs root (or sudo) and apt-get; says what to install and exits 1 otherwise.
set -euo pipefail
packages=(simplesamlphp apache2 libapache2-mod-php php-xml php-mbstring python3-onelogin-saml2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "the SP zoo needs these Debian packages: ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
