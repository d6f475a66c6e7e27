#!/usr/bin/env bash
# pgbench select-only TPS direct, through an HAProxy TCP relay, and through the wire proxy over the
# test-double gate (the proxy's own cost). Extra JVM options (e.g. a flight recording) in JAVA_OPTS.
# Usage: wire-proxy/bench/proxy-only-bench.sh [seconds] [modes] [clients]
#   e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/p.jfr -Dthreads=1" ... 10 simple 8
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
CLASSPATH_FILE="$PWD/wire-proxy/target/bench.classpath"
./mvnw -q -pl wire-proxy -am test-compile dependency:build-classpath -DskipTests \
  -Dspotless.check.skip=true -Dspotless.apply.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
CP="wire-proxy/target/test-classes:wire-proxy/target/classes:$(cat "$CLASSPATH_FILE")"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$CP" dev.gatehouse.wire.bench.ProxyOnlyBench \
  "${1:-5}" "${2:-prepared,simple}" "${3:-1,8,32}"
