// The MCP TypeScript SDK client against a Gatehouse MCP endpoint, as every reference principal:
// lists the tools, calls each listed tool, and the cases an agent meets (a denial, an SQL error,
// argument errors, a pending approval, someone else's approval). The SDK validates every
// structured result against the tool's declared output schema, errors included: a result that
// does not conform makes the call throw, and the script fail.
// Usage: TOKENS='{"analyst": "…", …}' node matrix.mjs MCP_URL
// Prints one JSON array of {principal, call, isError, kind, text} and exits 1 on any failure.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = process.argv[2];
const tokens = JSON.parse(process.env.TOKENS ?? '{}');
if (!url || Object.keys(tokens).length === 0) {
  console.error('usage: TOKENS=JSON node matrix.mjs MCP_URL');
  process.exit(64);
}

const table = `app.matrix_${Date.now().toString(36)}`;
const toolCalls = {
  query: { sql: 'SELECT id, email FROM app.customers ORDER BY id LIMIT 2' },
  describe: { schema: 'app', table: 'customers' },
  explain: { sql: 'SELECT id FROM app.customers WHERE id = 1' },
  approval_status: { approval_id: '00000000-0000-4000-8000-000000000000' },
};
const cases = {
  analyst: [
    ['sql error', 'query', { sql: 'SELECT 1 / 0' }],
    ['write denied', 'query', { sql: 'DELETE FROM app.orders WHERE false' }],
    ['invalid arguments', 'query', { sql: 5 }],
    ['unknown argument', 'describe', { nope: true }],
    ['two statements', 'query', { sql: 'SELECT 1 AS a; SELECT 2 AS b' }],
  ],
  contractor: [['hidden tool called anyway', 'query', { sql: 'SELECT 1' }]],
  'etl-nightly': [['needs approval', 'query', { sql: `CREATE TABLE ${table} (id int)` }]],
};

const out = [];
let failed = false;
const pendingIds = [];
for (const [principal, token] of Object.entries(tokens)) {
  const client = new Client({ name: 'gatehouse-matrix', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  const listed = (await client.listTools()).tools.map((t) => t.name);
  out.push({ principal, call: 'tools/list', tools: listed });
  const calls = listed.map((name) => [name, name, toolCalls[name] ?? {}]);
  calls.push(...(cases[principal] ?? []));
  for (const [label, name, args] of calls) {
    try {
      const r = await client.callTool({ name, arguments: args });
      const kind = r.structuredContent?.error?.kind ?? null;
      if (kind === 'approval_pending') {
        pendingIds.push({ principal, id: r.structuredContent.error.approval_id });
      }
      out.push({
        principal,
        call: label,
        isError: Boolean(r.isError),
        kind,
        text: r.content?.[0]?.text ?? '',
      });
    } catch (e) {
      failed = true;
      out.push({ principal, call: label, failure: String(e?.message ?? e) });
    }
  }
  await client.close();
}

// Someone else's approval: the analyst follows the etl job's request.
if (pendingIds.length > 0 && tokens.analyst) {
  const client = new Client({ name: 'gatehouse-matrix', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${tokens.analyst}` } },
    }),
  );
  for (const [label, name, args] of [
    ['status of someone else\'s approval', 'approval_status', { approval_id: pendingIds[0].id }],
    [
      'resume of someone else\'s approval',
      'query',
      { sql: `CREATE TABLE ${table} (id int)`, approval_id: pendingIds[0].id },
    ],
  ]) {
    try {
      const r = await client.callTool({ name, arguments: args });
      out.push({
        principal: 'analyst',
        call: label,
        isError: Boolean(r.isError),
        kind: r.structuredContent?.error?.kind ?? null,
        text: r.content?.[0]?.text ?? '',
      });
    } catch (e) {
      failed = true;
      out.push({ principal: 'analyst', call: label, failure: String(e?.message ?? e) });
    }
  }
  await client.close();
}

console.log(JSON.stringify(out, null, 2));
process.exit(failed ? 1 : 0);
