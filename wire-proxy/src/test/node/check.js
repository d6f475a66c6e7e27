// node-postgres through the Gatehouse wire proxy. Connection settings come from the PG* environment
// variables (PGPASSWORD carries the OIDC token). Prints one JSON object with what it observed.
const { Client } = require('pg');

async function main() {
  const client = new Client({ ssl: false });
  await client.connect();
  const result = {};
  // Simple protocol: no parameters.
  const simple = await client.query('SELECT id, email FROM app.customers WHERE id <= 2 ORDER BY id');
  result.simpleRows = simple.rows;
  // Extended protocol: parameters go through Parse/Bind/Execute.
  const extended = await client.query('SELECT id, email FROM app.customers WHERE id = $1', [3]);
  result.extendedRows = extended.rows;
  // A named prepared statement, executed twice.
  for (const id of [1, 2]) {
    const named = await client.query({ name: 'by-id', text: 'SELECT full_name FROM app.customers WHERE id = $1', values: [id] });
    result['named' + id] = named.rows[0].full_name;
  }
  try {
    await client.query('DELETE FROM app.orders WHERE id = $1', [1]);
    result.denied = null;
  } catch (e) {
    result.denied = { code: e.code, message: e.message };
  }
  const after = await client.query('SELECT 1 AS one');
  result.afterDenial = after.rows[0].one;
  await client.end();
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
