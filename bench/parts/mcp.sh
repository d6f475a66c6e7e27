#!/usr/bin/env bash
# Part 4: MCP `query` latency, Gatehouse (streamable HTTP and stdio) vs the reference Postgres MCP
# server and DBHub from npm. Usage: bench/parts/mcp.sh [calls] [warm-up calls] [blocks]
# (or GATEHOUSE_BENCH_MCP_CALLS, _WARMUP, _BLOCKS; defaults 1000, 300, 5).
source "$(dirname "$0")/../lib.sh"
bench_build
if [[ ! -d bench/mcp/node_modules ]]; then
  command -v npm >/dev/null || { echo "bench mcp: npm is missing (node 20 and npm are needed)" >&2; exit 1; }
  echo "bench mcp: installing the MCP peers from bench/mcp/package-lock.json" >&2
  # Optional drivers (MySQL, SQL Server, SQLite, cloud auth) are left out: the bench uses Postgres.
  npm ci --prefix bench/mcp --omit=optional --no-audit --no-fund >&2
fi
bench_java dev.gatehouse.bench.McpBench "$@"
bench_java dev.gatehouse.bench.Report
