// A real OpenID provider for the end-to-end tests (npm oidc-provider, a certified
// implementation), configured the way NHS login is: private_key_jwt client authentication
// signed RS512, PKCE, the `vtr` request parameter and `vot`, `identity_proofing_level`,
// `nhs_number` and `gp_registration_details` claims. Run one per issuer:
//   KIND=patient|staff PORT=… PORTAL=http://127.0.0.1:3900 CLIENT_KEY=path node provider.mjs
// It writes the portal's client private key to CLIENT_KEY (made fresh each run) and registers
// the public half, as an area would register its key with NHS login.

import Provider from 'oidc-provider';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import express from 'express';

const kind = process.env.KIND ?? 'patient';
const port = Number(process.env.PORT ?? 3901);
const portal = process.env.PORTAL ?? 'http://127.0.0.1:3900';
const clientKeyPath = process.env.CLIENT_KEY ?? '.run/client.key.pem';
const issuer = `http://127.0.0.1:${port}`;

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = rsa();
const client = rsa();
mkdirSync(dirname(clientKeyPath), { recursive: true });
writeFileSync(clientKeyPath, client.privateKey.export({ type: 'pkcs8', format: 'pem' }));

const patients = {
  'nhs-login-p9': { level: 'P9', nhs_number: '9434765919', given_name: 'Amira', family_name: 'Khan', birthdate: '1984-03-12', gp: 'Y90001' },
  'nhs-login-p5': { level: 'P5', nhs_number: '9434765870', given_name: 'Tom', family_name: 'Reid', birthdate: '1959-11-02', gp: 'Y90101' },
};
const staff = {
  'demo-case-worker': { name: 'Chloe Adams' },
  'stranger-123': { name: 'Not In Directory' },
};
const accounts = kind === 'patient' ? patients : staff;

function claimsFor(id) {
  const a = accounts[id];
  if (kind === 'staff') return { sub: id, name: a.name };
  return {
    sub: id,
    nhs_number: a.nhs_number,
    given_name: a.given_name,
    family_name: a.family_name,
    birthdate: a.birthdate,
    identity_proofing_level: a.level,
    vot: `${a.level}.Cp.Cd`,
    gp_registration_details: { gp_ods_code: a.gp },
  };
}

const clientId = kind === 'patient' ? 'scr-portal' : 'scr-portal-staff';
const callback = kind === 'patient' ? '/auth/nhs-login/callback' : '/auth/staff/callback';

const configuration = {
  clients: [{
    client_id: clientId,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS512',
    id_token_signed_response_alg: 'RS512',
    redirect_uris: [`${portal}${callback}`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    jwks: { keys: [client.publicKey.export({ format: 'jwk' })] },
  }],
  jwks: { keys: [{ ...signing.privateKey.export({ format: 'jwk' }), kid: `${kind}-signing`, use: 'sig' }] },
  enabledJWA: {
    idTokenSigningAlgValues: ['RS256', 'RS512'],
    clientAuthSigningAlgValues: ['RS256', 'RS512'],
  },
  pkce: { required: () => true },
  extraParams: ['vtr'],
  scopes: ['openid', 'profile', 'gp_registration_details', 'email'],
  claims: kind === 'patient'
    ? {
        openid: ['sub'],
        profile: ['given_name', 'family_name', 'birthdate', 'nhs_number', 'identity_proofing_level', 'vot'],
        gp_registration_details: ['gp_registration_details'],
      }
    : { openid: ['sub'], profile: ['name'] },
  // NHS login puts vot and identity_proofing_level in the ID token itself.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return claimsFor(id); } };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['e2e-only-cookie-key'] },
  ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
};

const provider = new Provider(issuer, configuration);
const app = express();
app.use(express.urlencoded({ extended: false }));

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The sign-in page: pick a test person (NHS login would ask for email, password and a code).
app.get('/interaction/:uid', async (req, res, next) => {
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') {
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    const buttons = Object.keys(accounts)
      .map((id) => `<li><button name="account" value="${escape(id)}">${escape(id)}</button></li>`)
      .join('');
    res.type('html').send(`<!doctype html><html lang="en"><head><title>Test ${escape(kind)} sign-in</title></head>
      <body><main><h1>Test ${escape(kind)} sign-in</h1><p>vtr asked: <code id="vtr">${escape(details.params.vtr ?? '')}</code></p>
      <form method="post" action="/interaction/${escape(req.params.uid)}/login"><ul>${buttons}</ul></form></main></body></html>`);
  } catch (err) { next(err); }
});

app.post('/interaction/:uid/login', async (req, res, next) => {
  try {
    await provider.interactionFinished(req, res, { login: { accountId: req.body.account } }, { mergeWithLastSubmission: false });
  } catch (err) { next(err); }
});

app.use(provider.callback());
app.listen(port, '127.0.0.1', () => console.log(`${kind} OIDC provider at ${issuer}`));
