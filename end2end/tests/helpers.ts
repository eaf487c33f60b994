// Shared steps for the specs: accessibility checks and signing in the ways people do.
import { expect, test as base, BrowserContext, Page } from '@playwright/test';

/**
 * Every spec's `test`: it fails when the page reports a Content-Security-Policy violation, so
 * every page, hydrated and with JavaScript off, is shown to work under the policy it is sent.
 */
export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
      });
      await use();
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
import AxeBuilder from '@axe-core/playwright';

/** axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules: no violation is allowed. */
export async function expectAccessible(page: Page) {
  // axe runs as a script in the page. With JavaScript off it cannot, so check the very same
  // HTML in a second, script-enabled page that is served this page's snapshot.
  let target = page;
  let scratch: BrowserContext | undefined;
  const jsOff = test.info().project.use.javaScriptEnabled === false;
  if (jsOff) {
    const html = await page.content();
    const url = page.url();
    scratch = await page.context().browser()!.newContext({ javaScriptEnabled: true });
    target = await scratch.newPage();
    await target.route(url, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
    await target.goto(url);
  }
  const results = await new AxeBuilder({ page: target })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  await scratch?.close();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Every page: one h1, a title naming the service, the NHS header, skip link and footer. */
export async function expectNhsPage(page: Page, heading: string | RegExp) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expect(page).toHaveTitle(/Shared care record privacy - NHS$/);
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeAttached();
  await expectAccessible(page);
}

export async function demoSignIn(page: Page, name: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  // Hydrated, the sign-in is a fetch that finishes after the click: wait for its page, so the
  // next step runs with the new session.
  await expect(page).not.toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^(Your choices|Staff home)$/);
}
