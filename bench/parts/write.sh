#!/usr/bin/env bash
# Part 2, write path: pgbench's TPC-B-like script through Gatehouse as etl-nightly vs direct.
# GATEHOUSE_BENCH_WRITE_SECONDS (default 15) per run, GATEHOUSE_BENCH_ROUNDS (default 1).
source "$(dirname "$0")/../lib.sh"
bench_require_debian pgbench:postgresql-15
bench_build
bench_java dev.gatehouse.bench.WriteBench "$@"
bench_java dev.gatehouse.bench.Report
