// Case workers clear their queue: decide an objection, and answer a request for information,
// hydrated and with JavaScript off. The patient sees the outcome on "Your requests".
import { Page } from '@playwright/test';
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectNhsPage(page, 'You have signed out');
}

/** Amira objects to one organisation sharing her information; returns the reference. */
async function amiraObjects(page: Page): Promise<string> {
  await demoSignIn(page, 'Amira Khan');
  await page.goto('/objections/new');
  await page.getByLabel('Information from some organisations').check();
  await page.getByLabel('Northshire Community Health Services').check();
  await page.getByLabel('Why are you objecting?').fill('I moved away and do not want my old records shared.');
  await page.getByLabel('Text message').check();
  await page.getByLabel('UK mobile number').fill('07700900982');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send objection' }).click();
  await expectNhsPage(page, 'Objection sent');
  const reference = (await page.locator('.scr-confirmation strong').innerText()).trim();
  await signOut(page);
  return reference;
}

test('a case worker claims an objection, notes it and upholds it; the patient sees each organisation act', async ({ page }) => {
  const reference = await amiraObjects(page);

  await demoSignIn(page, 'Chloe Adams');
  await page.getByRole('link', { name: 'Case queue' }).click();
  await expectNhsPage(page, 'Case queue');
  await page.getByLabel('Type').selectOption('objection');
  await page.getByLabel('Assigned to').selectOption('unassigned');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: reference }).click();
  await expectNhsPage(page, 'Objection');
  await expect(page.getByText('I moved away and do not want my old records shared.')).toBeVisible();

  await page.getByRole('button', { name: 'Claim this case' }).click();
  await expect(page.getByRole('status')).toContainText('You claimed this case.');
  await page.getByLabel('Note', { exact: true }).fill('Checked with the community trust.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByText('Checked with the community trust.')).toBeVisible();

  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose a decision');
  await expectNhsPage(page, 'Objection');
  await page.getByLabel('Uphold in full').check();
  await page.getByLabel('Objection upheld', { exact: true }).check();
  await page.getByLabel('Explain the decision in your own words').fill('Thank you for explaining.');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('status')).toContainText('The decision was recorded');
  await page.getByRole('button', { name: 'Record that Northshire Community Health Services has done this' }).click();
  await expect(page.getByText(/^Done /)).toBeVisible();
  await signOut(page);

  await demoSignIn(page, 'Amira Khan');
  await page.goto(`/your-requests/${reference}`);
  await expectNhsPage(page, 'Objection');
  await expect(page.getByText('We upheld your objection.')).toBeVisible();
  await expect(page.getByText('Thank you for explaining.')).toBeVisible();
  await expect(page.getByText('Stopped sharing', { exact: true })).toBeVisible();
  await expect(page.getByText('Checked with the community trust.')).toHaveCount(0);
});

test('a case worker asks for proof of identity, then answers the request; the patient downloads it', async ({ page }) => {
  test.setTimeout(90_000);
  await demoSignIn(page, 'Amira Khan');
  await page.goto('/access-requests/new');
  await page.getByLabel('Everything the shared care record holds about me').check();
  await page.getByLabel('All dates').check();
  await page.getByLabel('Download it from this service').check();
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectNhsPage(page, 'Request sent');
  const reference = (await page.locator('.scr-confirmation strong').innerText()).trim();
  await signOut(page);

  await demoSignIn(page, 'Chloe Adams');
  await page.goto(`/cases/${reference}`);
  await expectNhsPage(page, 'Request for your information');
  await page.getByLabel('Proof of identity').check();
  await page.getByLabel('What the patient should send, and how').fill('Bring photo ID to your GP surgery.');
  await page.getByRole('button', { name: 'Ask the patient' }).click();
  await expect(page.getByRole('status')).toContainText('The clock has stopped');
  await expect(page.getByText('Clock stopped: waiting for the patient')).toBeVisible();
  await page.getByRole('button', { name: 'Record it and start the clock again' }).click();
  await expect(page.getByRole('status')).toContainText('The clock has started again.');
  // Withholding: nothing chosen is sent back; a passage taken out is recorded with its ground.
  await page.getByRole('button', { name: 'Withhold it' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose what to withhold');
  await expectNhsPage(page, 'Request for your information');
  await page.getByLabel('A passage I took out of a document before adding it').check();
  await page.getByLabel('Which document and which passage').fill('Discharge letter, paragraph 3');
  await page.getByLabel(/^Third-party information/).check();
  await page.getByLabel('Why, for the record').fill('It names her neighbour.');
  await page.getByRole('button', { name: 'Withhold it' }).click();
  await expect(page.getByRole('status')).toContainText('It will be left out of the response.');
  await expect(page.getByRole('table', { name: 'Withheld from the response' })).toContainText('Discharge letter, paragraph 3');
  await page.getByRole('button', { name: 'Compile and send the response' }).click();
  await expect(page.getByRole('status')).toContainText('The response was compiled');
  await expectNhsPage(page, 'Request for your information');
  await signOut(page);

  await demoSignIn(page, 'Amira Khan');
  await page.goto(`/your-requests/${reference}`);
  await expect(page.getByText('Bring photo ID to your GP surgery.')).toBeVisible();
  await expectNhsPage(page, 'Request for your information');
  await expect(page.getByRole('heading', { name: 'Information we have withheld' })).toBeVisible();
  await expect(page.getByText(/^Information about other people/)).toBeVisible();
  await expect(page.getByText('neighbour')).toHaveCount(0);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download your information' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe(`${reference}.zip`);
  await page.goto(`/your-requests/${reference}`);
  await expect(page.getByText('You downloaded your information.')).toBeVisible();
});

test('an information governance lead words the reasons; an administrator keeps the bank holidays', async ({ page }) => {
  await demoSignIn(page, 'Samuel Okafor');
  await page.getByRole('link', { name: 'Decision templates' }).click();
  await expectNhsPage(page, 'Decision templates');
  await page.getByRole('button', { name: 'Add template' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a short name for the reason');
  await expectNhsPage(page, 'Decision templates');
  await signOut(page);

  await demoSignIn(page, 'Helen Marsh');
  await page.getByRole('link', { name: 'Bank holidays' }).click();
  await expectNhsPage(page, 'Bank holidays');
  await page.getByLabel('Day', { exact: true }).fill('30');
  await page.getByLabel('Month', { exact: true }).fill('2');
  await page.getByLabel('Year', { exact: true }).fill('2030');
  await page.getByLabel('Name', { exact: true }).fill('Not a day');
  await page.getByRole('button', { name: 'Add bank holiday' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a real date');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Not a day');
  await expectNhsPage(page, 'Bank holidays');
});
