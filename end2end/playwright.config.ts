// Every spec runs twice: hydrated (JavaScript on) and with JavaScript off, in Debian's
// Chromium. The portal under test is the built binary on SQLite, with demonstration sign-in
// and two real OIDC providers (npm oidc-provider): one shaped like NHS login, one for staff.
import { defineConfig } from '@playwright/test';

const PORTAL = 'http://127.0.0.1:3900';
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: PORTAL, launchOptions: chromium, trace: 'off' },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: 'KIND=patient PORT=3901 CLIENT_KEY=.run/patient-client.key.pem PORTAL=' + PORTAL + ' node oidc/provider.mjs',
      url: 'http://127.0.0.1:3901/.well-known/openid-configuration',
      reuseExistingServer: false,
      stdout: 'pipe',
    },
    {
      command: 'KIND=staff PORT=3902 CLIENT_KEY=.run/staff-client.key.pem PORTAL=' + PORTAL + ' node oidc/provider.mjs',
      url: 'http://127.0.0.1:3902/.well-known/openid-configuration',
      reuseExistingServer: false,
      stdout: 'pipe',
    },
    {
      command: 'sh ./serve-portal.sh',
      url: PORTAL + '/readyz',
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 60_000,
    },
  ],
});
