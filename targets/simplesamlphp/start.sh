#!/usr/bin/env bash
# Starts SimpleSAMLphp as an SP, in Debian's Apache with mod_php, on 127.0.0.1:$SP_PORT
# (default 8401), trusting the four mock IdP tenants at 127.0.0.1:$IDP_PORT (default 7401).
# Prints "simplesamlphp SP listening on <url>" once Apache answers; stops Apache on SIGTERM.
# Needs Debian's simplesamlphp, apache2 and libapache2-mod-php.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export SP_PORT=${SP_PORT:-8401} IDP_PORT=${IDP_PORT:-7401}
state=$(mktemp -d)
mkdir -p "$state/tmp" "$state/data" "$state/sessions" "$state/idp-metadata"
export IDP_METADATA_DIR=${IDP_METADATA_DIR:-$state/idp-metadata}
node --import tsx targets/lib/idp-metadata.ts "$IDP_PORT" "$IDP_METADATA_DIR"
# Apache's children run as www-data when started as root: they read a copy of the app, its
# configuration and the SP's key pair in the state directory (a checkout under /root is closed
# to them), and write the state.
cp -r "$here/www" "$here/config" "$state/"
cp "$root/fixtures/keys/zoo-sp.key.pem" "$root/fixtures/keys/zoo-sp.cert.pem" "$state/"
chmod -R a+rwX "$state"
chmod a+rx "$IDP_METADATA_DIR"

php=$(ls /usr/lib/apache2/modules/libphp*.so | head -1)
user=""
[ "$(id -u)" = 0 ] && user="User www-data
Group www-data"
cat > "$state/httpd.conf" <<CONF
ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$SP_PORT
PidFile $state/httpd.pid
ErrorLog $state/error.log
LogLevel warn
$user
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule env_module /usr/lib/apache2/modules/mod_env.so
LoadModule php_module $php
TypesConfig /etc/mime.types
StartServers 2
MinSpareServers 2
MaxSpareServers 4
MaxRequestWorkers 8
<FilesMatch "\.php$">
  SetHandler application/x-httpd-php
</FilesMatch>
SetEnv SIMPLESAMLPHP_CONFIG_DIR $state/config
SetEnv SP_PORT $SP_PORT
SetEnv SP_STATE_DIR $state
SetEnv IDP_METADATA_DIR $IDP_METADATA_DIR
SetEnv SP_KEY_FILE $state/zoo-sp.key.pem
SetEnv SP_CERT_FILE $state/zoo-sp.cert.pem
Alias /simplesaml /usr/share/simplesamlphp/www
<Directory /usr/share/simplesamlphp/www>
  Require all granted
</Directory>
DocumentRoot $state/www
<Directory $state/www>
  Require all granted
  FallbackResource /index.php
</Directory>
CONF

# In a session of its own: Apache signals its whole process group when it stops, which would
# otherwise include this script and whatever started it.
setsid apache2 -f "$state/httpd.conf" -DFOREGROUND &
apache=$!
trap 'kill -TERM $apache 2>/dev/null; wait $apache 2>/dev/null; rm -rf "$state"; exit 0' TERM INT
for _ in $(seq 1 100); do
  if curl -fs -o /dev/null "http://127.0.0.1:$SP_PORT/simplesaml/module.php/saml/sp/metadata.php/default-sp"; then
    echo "simplesamlphp SP listening on http://127.0.0.1:$SP_PORT"
    wait $apache
    exit $?
  fi
  kill -0 $apache 2>/dev/null || { cat "$state/error.log" >&2; exit 1; }
  sleep 0.1
done
echo "simplesamlphp: Apache did not answer on port $SP_PORT; its log:" >&2
cat "$state/error.log" >&2
kill -TERM $apache
exit 1
