#!/usr/bin/env bash
# Drives a running Gatehouse MCP server with the MCP Inspector CLI: lists the tools, then calls
# `query`. Usage: run.sh SERVER_URL TOKEN [SQL]
# Install the inspector ahead of time with:
#   npm install -g @modelcontextprotocol/inspector@0.17.2
# (without it, npx fetches that exact version from the npm registry on first use).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 SERVER_URL TOKEN [SQL]" >&2
  exit 64
fi
url="$1"
token="$2"
sql="${3:-SELECT id, full_name FROM app.customers ORDER BY id LIMIT 3}"
version="0.17.2"

if command -v mcp-inspector >/dev/null 2>&1 \
  && [ "$(npm ls -g --depth=0 @modelcontextprotocol/inspector 2>/dev/null | grep -o "inspector@[0-9.]*")" = "inspector@$version" ]; then
  inspector=(mcp-inspector)
else
  inspector=(npx -y "@modelcontextprotocol/inspector@$version")
fi

# The CLI takes the server URL as its positional target (its --server-url is for the UI).
common=(--cli "$url" --transport http --header "Authorization: Bearer $token")

echo "== tools/list"
"${inspector[@]}" "${common[@]}" --method tools/list
echo "== tools/call query"
"${inspector[@]}" "${common[@]}" --method tools/call --tool-name query --tool-arg "sql=$sql"
