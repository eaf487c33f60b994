import { expect, test, expectNhsPage } from './helpers';

test('the start page explains the service and lists the areas', async ({ page }) => {
  await page.goto('/');
  await expectNhsPage(page, 'Your shared care record and your choices');
  await expect(page.getByRole('link', { name: 'Northshire Shared Care Record' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Southvale Care Record' })).toBeVisible();
});

test('someone finds their area from their GP surgery code and reads its notice', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel("Your GP surgery’s name or postcode").fill('y90101');
  await page.getByRole('button', { name: 'Find my area' }).click();
  await expectNhsPage(page, 'Your area is Southvale Care Record');
  await page.getByRole('button', { name: "Read this area's privacy notice" }).click();
  await expectNhsPage(page, 'How the Southvale Care Record uses your information');
  await expect(page.getByRole('heading', { name: 'Your rights', exact: true })).toBeVisible();
  // Beside the rights, a way to act on each, and how to reach the area.
  await expect(page.getByRole('link', { name: 'Ask for a copy of your information' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'dpo@southvale-care-record.example' })).toBeVisible();
  await expect(page.getByText('In force from')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Previous versions' })).toBeVisible();
});

test('someone finds their surgery by its name or a postcode, as they type or by sending the form', async ({ page }, testInfo) => {
  await page.goto('/find-your-area');
  await expectNhsPage(page, 'Find your area');
  const field = page.getByLabel('Your GP surgery’s name or postcode');
  if (testInfo.project.name === 'hydrated') {
    // The list appears under the field as the name is typed, and says how many it found.
    await field.pressSequentially('hillv', { delay: 30 });
    await expect(page.getByRole('status')).toHaveText('1 GP surgery found');
    await expect(page.getByRole('link', { name: 'Hillview Surgery' })).toBeVisible();
    await field.fill('');
    await field.pressSequentially('ns1', { delay: 30 });
    await expect(page.getByRole('link', { name: 'Riverside Medical Centre' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'St Mary’s Surgery' })).toBeVisible();
  }
  // Sent as a plain form (all there is with JavaScript off): the page lists them.
  await field.fill('riverside');
  await page.getByRole('button', { name: 'Find my area' }).click();
  await expect(page.getByRole('heading', { name: 'GP surgeries matching ‘riverside’' })).toBeVisible();
  await expectNhsPage(page, 'Find your area');
  await expect(page.getByText('12 River Road, Northtown, NS1 4AB')).toBeVisible();
  await page.getByRole('link', { name: 'Riverside Medical Centre' }).first().click();
  await expectNhsPage(page, 'How the Northshire Shared Care Record uses your information');

  await page.goto('/');
  await page.getByLabel('Your GP surgery’s name or postcode').fill('SV1 2HQ');
  await page.getByRole('button', { name: 'Find my area' }).click();
  await expect(page.getByRole('heading', { name: 'GP surgeries in SV1' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Harbour Surgery' }).first()).toBeVisible();
});

test('a code that is not right gets the NHS error summary', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByLabel("Your GP surgery’s name or postcode").fill('??');
  await page.getByRole('button', { name: 'Find my area' }).click();
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expectNhsPage(page, 'Find your area');
  if (testInfo.project.name === 'hydrated') {
    // The error summary island takes focus, so a screen reader announces the problem first.
    await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  }
  await page.getByRole('link', { name: /Enter your GP surgery/ }).click();
  await expect(page.getByLabel("Your GP surgery’s name or postcode")).toBeFocused();

  await page.getByLabel("Your GP surgery’s name or postcode").fill('Y11111');
  await page.getByRole('button', { name: 'Find my area' }).click();
  await expect(page.getByRole('alert')).toContainText('We could not find a GP surgery with that code');
});

test('the accessibility statement and a missing page', async ({ page }) => {
  await page.goto('/accessibility');
  await expectNhsPage(page, 'Accessibility statement');
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expectNhsPage(page, 'Page not found');
});

test('a refused sign-in explains itself and offers a retry', async ({ page }) => {
  const res = await page.goto('/sign-in/problem?reason=expired');
  expect(res?.status()).toBe(400);
  await expectNhsPage(page, 'We could not sign you in');
  await page.getByRole('button', { name: 'Try signing in again' }).click();
  await expectNhsPage(page, 'Sign in');
});
