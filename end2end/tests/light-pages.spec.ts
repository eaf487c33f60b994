// Light pages on a slow phone: a page with nothing interactive loads no WebAssembly at all,
// and on a page that has some, nothing breaks while it is still on its way: following a link
// works, and a character count is right the moment its island wakes, counting what was typed
// before.
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

test('pages work before their WebAssembly arrives, and pages with nothing interactive load none', async ({ page }) => {
  test.skip(test.info().project.name !== 'hydrated', 'WebAssembly needs JavaScript');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(r.url());
  });

  await demoSignIn(page, 'Amira Khan');
  await page.goto('/your-choices');
  await page.goto('/access-log');
  await expectNhsPage(page, 'Who has looked at your record');
  expect(wasm, 'no WebAssembly on pages with nothing interactive').toEqual([]);

  // The WebAssembly now takes three seconds to arrive, as on a poor connection.
  await page.route('**/*.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 3000));
    await route.continue();
  });
  await page.goto('/objections/new');
  const reason = page.getByLabel('Why are you objecting?');
  await reason.fill('Typed before the page woke up');
  await expect(page.getByText('You have 1,971 characters remaining')).toBeVisible({ timeout: 15000 });
  expect(wasm.length, 'the form with a character count loads its WebAssembly').toBeGreaterThan(0);

  // A link followed while the WebAssembly is still on its way goes where it says.
  await page.goto('/objections/new');
  await page.getByRole('link', { name: 'Amira Khan' }).click();
  await expectNhsPage(page, 'Your choices');
  expect(errors, 'nothing thrown in the console').toEqual([]);
});
