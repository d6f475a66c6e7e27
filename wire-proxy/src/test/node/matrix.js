// node-postgres with pg-cursor and pg-copy-streams through the Gatehouse wire proxy (driven by
// ClientMatrixIT). Connection settings come from the PG* environment variables. Prints one JSON
// object with the rows each way of reading returned.
const { Client } = require('pg');
const Cursor = require('pg-cursor');
const { to: copyTo } = require('pg-copy-streams');

const QUERY = 'SELECT id, full_name, email, ssn FROM app.customers WHERE id <= 5 ORDER BY id';
const cells = (rows) => rows.map((r) => Object.values(r).map((v) => (v === null ? 'None' : String(v))));

async function main() {
  const client = new Client({ ssl: false });
  await client.connect();
  const result = {};
  result.plain = cells((await client.query(QUERY)).rows);
  // pg-cursor: one portal, read in pieces (Execute with a row count, PortalSuspended).
  const cursor = client.query(new Cursor(QUERY));
  const pieces = [];
  for (let batch = await cursor.read(2); batch.length > 0; batch = await cursor.read(2)) {
    pieces.push(...batch);
  }
  await cursor.close();
  result.cursor = cells(pieces);
  // pg-copy-streams: COPY TO STDOUT in CSV.
  const stream = client.query(copyTo(`COPY (${QUERY}) TO STDOUT (FORMAT csv)`));
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  result.copy = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length > 0);
  await client.end();
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
