#!/usr/bin/env bash
# Part 6: approval round trip across two gateway instances sharing the control database.
# Usage: bench/parts/approval.sh [rounds] [warm-up rounds]
# (or GATEHOUSE_BENCH_APPROVAL_ROUNDS, _WARMUP; defaults 20, 2).
source "$(dirname "$0")/../lib.sh"
bench_build
bench_java dev.gatehouse.bench.ApprovalBench "$@"
bench_java dev.gatehouse.bench.Report
