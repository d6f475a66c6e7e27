#!/usr/bin/env bash
# pgbench select-only TPS direct vs through the Gatehouse wire proxy (same machine, same run).
# Starts its own PostgreSQL and OIDC issuer (the test fixtures) and a proxy in process.
# Usage: wire-proxy/bench/pgbench-compare.sh [seconds-per-run]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
CLASSPATH_FILE="$PWD/wire-proxy/target/bench.classpath"
./mvnw -q -pl wire-proxy -am test-compile dependency:build-classpath -DskipTests \
  -Dspotless.check.skip=true -Dspotless.apply.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
CP="wire-proxy/target/test-classes:wire-proxy/target/classes:$(cat "$CLASSPATH_FILE")"
exec "$JAVA_HOME/bin/java" -cp "$CP" dev.gatehouse.wire.bench.PgbenchCompare "${1:-5}"
