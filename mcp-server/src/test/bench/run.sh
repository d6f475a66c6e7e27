#!/usr/bin/env bash
# Measures `query` latency over streamable HTTP (median, p99) against a pgjdbc baseline.
# Usage: mcp-server/src/test/bench/run.sh [calls]   (from the repository root; default 1000 calls)
set -euo pipefail
cd "$(dirname "$0")/../../../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_file="$(mktemp)"
./mvnw -q -pl mcp-server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test -Dspotless.skip=true
classpath="mcp-server/target/test-classes:mcp-server/target/classes:$(cat "$cp_file")"
"$JAVA_HOME/bin/java" -cp "$classpath" dev.gatehouse.mcp.QueryLatencyBench "${1:-1000}"
