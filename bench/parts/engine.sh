#!/usr/bin/env bash
# Part 5, policy engine: the JMH benchmarks of policy-engine's test sources (analyse-and-decide,
# masking, token verification), forked on policy-engine's test class path. Settings:
# GATEHOUSE_BENCH_ENGINE_FORKS (1), _WARMUP_ITERATIONS (2), _WARMUP_SECONDS (1), _ITERATIONS (3),
# _SECONDS (2), _TOKENS (1; 0 skips token verification), _TAIL_SECONDS (6).
source "$(dirname "$0")/../lib.sh"
bench_build
echo "bench: building policy-engine's test classes and their class path" >&2
./mvnw -q -pl policy-engine -am test-compile dependency:build-classpath -DskipTests \
  -Dspotless.check.skip=true -Dspotless.apply.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/engine-bench-classpath.txt >&2
ENGINE_CP_FILE="policy-engine/target/engine-bench.classpath"
echo "$BENCH_ROOT/policy-engine/target/test-classes:$BENCH_ROOT/policy-engine/target/classes:$(cat policy-engine/target/engine-bench-classpath.txt)" \
  > "$ENGINE_CP_FILE"
bench_java dev.gatehouse.bench.EngineBench "$ENGINE_CP_FILE"
bench_java dev.gatehouse.bench.Report
