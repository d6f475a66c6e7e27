#!/usr/bin/env bash
# Gatehouse against PostgreSQL direct and its peers, in one run; writes bench/results/latest.md
# and latest.json. Each part runs alone too: bench/parts/<part>.sh. See bench/README.md.
source "$(dirname "$0")/lib.sh"
bench_build
start=$(date +%s)
failed=()
for part in wire write large mcp engine approval; do
  echo "bench: part $part ($(( $(date +%s) - start )) s in)" >&2
  if ! bash "bench/parts/$part.sh"; then
    failed+=("$part")
    echo "bench: part $part FAILED" >&2
  fi
done
bench_java dev.gatehouse.bench.Report
echo "bench: all parts in $(( $(date +%s) - start )) s" >&2
if ((${#failed[@]})); then
  echo "bench: failed parts: ${failed[*]}" >&2
  exit 1
fi
