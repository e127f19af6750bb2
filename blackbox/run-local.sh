#!/usr/bin/env bash
# Starts a throwaway Amtsbote server from target/amtsbote.jar on a free loopback port
# (SQLite in a temp dir), creates an admin, runs the black-box suite against it, stops it.
#
#   bash blackbox/run-local.sh                 # all tests
#   bash blackbox/run-local.sh tests/media.test.js   # selected files (relative to blackbox/)
#
# Env: JAVA (default: $JAVA_HOME/bin/java or java), AMTSBOTE_JAR (default: target/amtsbote.jar),
#      KEEP_SERVER_DIR=1 to keep the temp dir (config, DB, server.log) afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="${AMTSBOTE_JAR:-$root/target/amtsbote.jar}"
java="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
[ -z "${JAVA:-}${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
[ -f "$jar" ] || { echo "no server jar at $jar (build it: ./mvnw -q -B -o package -DskipTests)" >&2; exit 2; }

dir="$(mktemp -d /tmp/amtsbote-blackbox.XXXXXX)"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
admin_pw="admin-$(node -e 'console.log(require("crypto").randomBytes(9).toString("hex"))')"
cat > "$dir/amtsbote.yaml" <<YAML
server_name: blackbox.test
public_baseurl: http://127.0.0.1:$port
listen:
  address: 127.0.0.1
  port: $port
database:
  type: sqlite
  path: $dir/amtsbote.db
media:
  path: $dir/media
  max_upload_bytes: 10485760
limits:
  login_attempts_per_minute: 100000
YAML

echo "$admin_pw" | "$java" -jar "$jar" user add admin --admin --password-stdin --config "$dir/amtsbote.yaml" > "$dir/useradd.log" 2>&1 \
  || { echo "creating the admin failed:" >&2; cat "$dir/useradd.log" >&2; exit 2; }

"$java" -jar "$jar" serve --config "$dir/amtsbote.yaml" > "$dir/server.log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  if [ "${KEEP_SERVER_DIR:-}" = 1 ]; then echo "server dir kept: $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/_matrix/client/versions" > /dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "server exited during start:" >&2; tail -50 "$dir/server.log" >&2; exit 2; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/_matrix/client/versions" > /dev/null || { echo "server did not come up in 60 s" >&2; tail -50 "$dir/server.log" >&2; exit 2; }

cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
export AMTSBOTE_URL="http://127.0.0.1:$port" AMTSBOTE_ADMIN_USER=admin AMTSBOTE_ADMIN_PASSWORD="$admin_pw"
status=0
if [ $# -gt 0 ]; then
  node --test --test-reporter=spec --test-concurrency=1 --test-timeout=180000 --test-force-exit "$@" || status=$?
else
  npm test || status=$?
fi
if [ $status -ne 0 ]; then
  echo "---- last 40 lines of the server log ($dir/server.log) ----"
  tail -40 "$dir/server.log"
fi
exit $status
