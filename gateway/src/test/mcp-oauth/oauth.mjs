// The MCP TypeScript SDK client connects to a Gatehouse MCP endpoint with OAuth, as Claude or the
// MCP Inspector would: 401 → Protected Resource Metadata → authorization server metadata → dynamic
// client registration → authorization code with PKCE → token → tools. The browser step (the
// issuer's sign-in page, where the user picks a principal) is done over HTTP here.
// Usage: node oauth.mjs MCP_URL PRINCIPAL SQL
// Prints one JSON object: the HTTP exchanges, the registered client, the token's claims, the tools
// listed and the `query` result.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const [url, principal, sql] = process.argv.slice(2);
if (!url || !principal || !sql) {
  console.error('usage: node oauth.mjs MCP_URL PRINCIPAL SQL');
  process.exit(64);
}

// Every request the SDK makes, to show the discovery and registration it went through.
const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  const target = typeof input === 'string' ? input : input.url ?? String(input);
  exchanges.push(`${init?.method ?? 'GET'} ${target} ${response.status}`);
  return response;
};

// Never listened on: the redirect's Location is read by this script, as a browser would follow it.
const redirectUrl = 'http://127.0.0.1:9/callback';
const store = {};
const provider = {
  get redirectUrl() {
    return redirectUrl;
  },
  get clientMetadata() {
    return {
      client_name: 'gatehouse oauth check',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  },
  clientInformation: () => store.client,
  saveClientInformation: (info) => {
    store.client = info;
  },
  tokens: () => store.tokens,
  saveTokens: (tokens) => {
    store.tokens = tokens;
  },
  redirectToAuthorization: (authorizationUrl) => {
    store.authorizationUrl = authorizationUrl;
  },
  saveCodeVerifier: (verifier) => {
    store.verifier = verifier;
  },
  codeVerifier: () => store.verifier,
};

const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
try {
  await new Client({ name: 'gatehouse-oauth-check', version: '1.0.0' }).connect(first);
  throw new Error('connected without signing in');
} catch (e) {
  if (!(e instanceof UnauthorizedError)) {
    throw e;
  }
}
if (!store.authorizationUrl) {
  throw new Error('the client was never sent to the authorization endpoint');
}

// The browser: the sign-in page offers the principals; submit the chosen one's form.
const page = await realFetch(store.authorizationUrl, { redirect: 'manual' });
const html = await page.text();
const forms = [...html.matchAll(/<form method="post" action="([^"]*)">(.*?)<\/form>/gs)];
const decode = (s) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
const field = (form, name) =>
  decode(form.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? '');
const chosen = forms.find((f) => field(f[2], 'username') === principal);
if (!chosen) {
  throw new Error(`the sign-in page (${page.status}) offers no ${principal}: ${html}`);
}
const login = await realFetch(new URL(decode(chosen[1]), store.authorizationUrl), {
  method: 'POST',
  redirect: 'manual',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    username: field(chosen[2], 'username'),
    claims: field(chosen[2], 'claims'),
  }),
});
const location = login.headers.get('location');
if (login.status !== 302 || !location) {
  throw new Error(`sign-in answered ${login.status}: ${await login.text()}`);
}
const back = new URL(location);
if (back.origin + back.pathname !== redirectUrl) {
  throw new Error(`sign-in redirected to ${location}`);
}
const code = back.searchParams.get('code');
if (!code) {
  throw new Error(`sign-in gave no code: ${location}`);
}
await first.finishAuth(code);

const client = new Client({ name: 'gatehouse-oauth-check', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
const tools = await client.listTools();
const result = await client.callTool({ name: 'query', arguments: { sql } });
await client.close();

const payload = JSON.parse(
  Buffer.from(store.tokens.access_token.split('.')[1], 'base64url').toString('utf8'),
);
console.log(
  JSON.stringify(
    {
      exchanges,
      authorizationUrl: String(store.authorizationUrl),
      client: store.client,
      token: { sub: payload.sub, aud: payload.aud, groups: payload.groups, iss: payload.iss },
      tools: tools.tools.map((t) => t.name),
      result,
    },
    null,
    2,
  ),
);
