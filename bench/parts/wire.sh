#!/usr/bin/env bash
# Part 1, wire overhead: pgbench select-only through PostgreSQL direct, HAProxy, PgBouncer and
# Gatehouse. GATEHOUSE_BENCH_SECONDS (default 10) per run, GATEHOUSE_BENCH_ROUNDS (default 1).
source "$(dirname "$0")/../lib.sh"
bench_require_debian pgbench:postgresql-15 haproxy:haproxy pgbouncer:pgbouncer
bench_build
bench_java dev.gatehouse.bench.WireBench "$@"
bench_java dev.gatehouse.bench.Report
