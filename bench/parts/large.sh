#!/usr/bin/env bash
# Part 3, large results: 1,000,000 rows of about 200 bytes, three columns masked, read with psql
# directly and through Gatehouse (-Xmx256m). Settings: GATEHOUSE_BENCH_LARGE_ROWS (1000000),
# _SMALL_ROWS (250000), _WARMUP_ROWS (20000), _REPS (3), _XMX (256m).
source "$(dirname "$0")/../lib.sh"
bench_require_debian psql:postgresql-client
# `time` is also a shell keyword, so bench_require_debian cannot tell whether the program is there.
if [[ ! -x /usr/bin/time ]]; then
  echo "bench: installing time" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >&2
fi
bench_build
bench_java dev.gatehouse.bench.LargeResultBench "$@"
bench_java dev.gatehouse.bench.Report
