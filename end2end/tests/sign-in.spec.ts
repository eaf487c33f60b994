import { expect, test, demoSignIn, expectNhsPage } from './helpers';

test('the sign-in page offers NHS login, staff sign-in and, in a demonstration, made-up people', async ({ page }) => {
  await page.goto('/sign-in');
  await expectNhsPage(page, 'Sign in');
  await expect(page.getByRole('button', { name: 'Continue to NHS login' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Staff sign in' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Demonstration' }).first()).toBeVisible();
  for (const name of ['Amira Khan', 'Tom Reid', 'Priya Shah', 'Gareth Owen', 'Chloe Adams', 'Samuel Okafor', 'Helen Marsh']) {
    await expect(page.getByRole('button', { name: `Sign in as ${name}` })).toBeVisible();
  }
});

test('a P9 patient signs in with NHS login and sees their choices, never their whole NHS number', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Continue to NHS login' }).click();
  await expect(page.getByRole('heading', { name: 'Test patient sign-in' })).toBeVisible();
  await expect(page.locator('#vtr')).toHaveText('["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]');
  await page.getByRole('button', { name: 'nhs-login-p9' }).click();
  await expect(page).toHaveURL(/\/your-choices$/);
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByText('Amira Khan').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Northshire Shared Care Record' })).toBeVisible();
  await expect(page.getByText('*** *** *919')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('9434765919');
  await expect(page.getByText('fully verified (P9)')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectNhsPage(page, 'You have signed out');
  await page.goto('/your-choices');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a P5 patient is told how to verify their identity', async ({ page }) => {
  await page.goto('/auth/nhs-login');
  await page.getByRole('button', { name: 'nhs-login-p5' }).click();
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByText('partly verified (P5)')).toBeVisible();
  // Told once, with what they can do now and how to prove who they are.
  await expect(page.getByRole('heading', { name: 'How to prove who you are' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Object to your information being in the shared care record' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Your requests' })).toBeVisible();
});

test('staff in the directory sign in with the staff issuer', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Staff sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Test staff sign-in' })).toBeVisible();
  await page.getByRole('button', { name: 'demo-case-worker' }).click();
  await expectNhsPage(page, 'Staff home');
  await expect(page.getByRole('cell', { name: 'Case worker' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectNhsPage(page, 'You have signed out');
});

test('staff not in the directory are told they have no access, and get no session', async ({ page }) => {
  await page.goto('/auth/staff');
  await page.getByRole('button', { name: 'stranger-123' }).click();
  await expectNhsPage(page, 'You do not have access to this service');
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('demonstration patients and staff', async ({ page }) => {
  await demoSignIn(page, 'Tom Reid');
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByRole('link', { name: 'Southvale Care Record', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, 'Samuel Okafor');
  await expectNhsPage(page, 'Staff home');
  await expect(page.getByRole('cell', { name: 'Information governance lead' })).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'Manage the staff directory' })).toHaveCount(0);
});

test('an admin gives a role and takes it away', async ({ page }) => {
  await demoSignIn(page, 'Helen Marsh');
  await page.getByRole('link', { name: 'Manage the staff directory' }).click();
  await expectNhsPage(page, 'Staff directory');

  await page.getByRole('button', { name: 'Add role' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the person');
  await expectNhsPage(page, 'Staff directory');

  await page.getByLabel('Sign-in subject').fill('cis2-e2e-1');
  await page.getByLabel('Name', { exact: true }).fill('Jo Bloggs');
  await page.getByLabel('Role').selectOption('case_worker');
  await page.getByLabel('Area').selectOption('southvale');
  await page.getByRole('button', { name: 'Add role' }).click();
  await expect(page.getByRole('status')).toContainText('The role was added');
  await expect(page.getByRole('cell', { name: 'Jo Bloggs', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Remove Jo Bloggs as Case worker in Southvale Care Record' }).click();
  await expectNhsPage(page, 'Remove Jo Bloggs as case worker in Southvale Care Record?');
  await page.getByRole('button', { name: 'Yes, remove the role' }).click();
  await expect(page.getByRole('status')).toContainText('The role was removed');
  await expect(page.getByRole('cell', { name: 'Jo Bloggs', exact: true })).toHaveCount(0);
});

test('a patient sees where they are signed in and signs out everywhere else', async ({ page, browser }) => {
  // Amira on another device first.
  const other = await browser.newContext({ javaScriptEnabled: test.info().project.use.javaScriptEnabled });
  const otherPage = await other.newPage();
  await demoSignIn(otherPage, 'Amira Khan');
  await demoSignIn(page, 'Amira Khan');
  await page.getByRole('link', { name: 'Where you are signed in' }).click();
  await expectNhsPage(page, 'Where you are signed in');
  await expect(page.getByRole('cell', { name: 'This device' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByRole('status')).toContainText('You have been signed out everywhere else');
  await expect(page.getByRole('cell', { name: 'Another device' })).toHaveCount(0);
  await otherPage.goto('/your-choices');
  await expect(otherPage).toHaveURL(/\/sign-in$/);
  await other.close();
});
