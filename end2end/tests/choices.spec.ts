// One page for every choice: the comms team says what each organisation shares, and a patient
// reads it on Your choices beside their own objection and the national data opt-out (which the
// portal explains and links to, never asks about). Hydrated and with JavaScript off, with axe.
import { Page } from '@playwright/test';
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectNhsPage(page, 'You have signed out');
}

test('the comms team says what an organisation shares, and the patient reads it with their choices', async ({ page }) => {
  await demoSignIn(page, 'Priya Shah');
  await page.getByRole('link', { name: 'What each organisation shares' }).click();
  await expectNhsPage(page, 'What each organisation shares');
  await page.getByRole('link', { name: 'Change what Northshire Community Health Services shares' }).click();
  await expectNhsPage(page, 'What Northshire Community Health Services shares');
  for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Select the kinds of information this organisation shares');
  await expect(page.getByRole('alert')).toContainText('Select who can see it');
  await expectNhsPage(page, 'What Northshire Community Health Services shares');
  await page.getByLabel('Social care', { exact: true }).check();
  await page.getByLabel('Care plans').check();
  await page.getByLabel('Community nurses and therapists').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Saved. Patients see it on Your choices.');
  await signOut(page);

  await demoSignIn(page, 'Amira Khan');
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByRole('heading', { name: 'Your objection to the shared care record' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The national data opt-out' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'make your choice about sharing data from your health records' })).toHaveAttribute(
    'href',
    'https://www.nhs.uk/your-nhs-data-matters/',
  );
  const table = page.getByRole('table', { name: 'What each organisation shares, and who can see it' });
  const row = table.getByRole('row').filter({ hasText: 'Northshire Community Health Services' });
  await expect(row).toContainText('Care plans');
  await expect(row).toContainText('Community nurses and therapists');
  await expect(row).not.toContainText('Appointments and referrals');
});

test('a patient asks to be told when their record is looked at, changes how, and turns it off', async ({ page }) => {
  const jsOn = test.info().project.use.javaScriptEnabled !== false;
  await demoSignIn(page, 'Amira Khan');
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByRole('heading', { name: 'Alerts when your record is looked at' })).toBeVisible();
  await page.getByRole('link', { name: 'Turn on alerts' }).click();
  await expectNhsPage(page, 'Alerts when your record is looked at');
  await expect(page.getByText('It never says who looked, where from, or what they saw')).toBeVisible();

  // Nothing ticked and no way to reach her: the error summary says what to fix.
  for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
  await page.getByRole('button', { name: 'Turn on alerts' }).click();
  await expect(page.getByRole('alert')).toContainText('Select when you want to be told');
  await expect(page.getByRole('alert')).toContainText('Select email or text message');
  await expectNhsPage(page, 'Alerts when your record is looked at');

  await page.getByLabel('When an organisation looks at my record for the first time').check();
  // The address is asked for under the option chosen; with JavaScript it appears only then.
  if (jsOn) await expect(page.getByLabel('Email address')).toBeHidden();
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Turn on alerts' }).click();
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByRole('status')).toContainText('Alerts saved.');
  await expect(page.getByText('On. By email to a***@example.com when an organisation looks at your record for the first time.')).toBeVisible();

  await page.getByRole('link', { name: 'Change or turn off alerts' }).click();
  await expectNhsPage(page, 'Alerts when your record is looked at');
  await expect(page.getByText('Alerts are on.')).toBeVisible();
  await page.getByLabel('When someone looks at my record in an emergency').check();
  await page.getByLabel('Text message').check();
  await page.getByLabel('UK mobile number').fill('07700 900 982');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('On. By text message to *******0982 when an organisation looks at your record for the first time, or when someone looks at your record in an emergency.')).toBeVisible();

  await page.getByRole('link', { name: 'Change or turn off alerts' }).click();
  await page.getByRole('button', { name: 'Turn off alerts' }).click();
  await expectNhsPage(page, 'Your choices');
  await expect(page.getByRole('status')).toContainText('Alerts turned off.');
  await expect(page.getByRole('link', { name: 'Turn on alerts' })).toBeVisible();
});
