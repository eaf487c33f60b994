// The patient's rights journeys: object, ask for a copy, track, withdraw. Each runs hydrated
// (pages change without a full reload) and with JavaScript off (plain form posts).
import { Page } from '@playwright/test';
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

const hydrated = () => test.info().project.name === 'hydrated';

/** Marks the page's window, so a later check can tell whether the browser reloaded it. */
async function markWindow(page: Page) {
  if (hydrated()) await page.evaluate(() => ((window as unknown as { __scr: boolean }).__scr = true));
}

async function expectNoFullReload(page: Page) {
  if (hydrated()) {
    expect(await page.evaluate(() => (window as unknown as { __scr?: boolean }).__scr)).toBe(true);
  }
}

test('a patient objects, checks their answers, tracks the objection and withdraws it', async ({ page }) => {
  await demoSignIn(page, 'Amira Khan');
  await page.getByRole('link', { name: 'Object to your information being in the shared care record' }).click();
  await expectNhsPage(page, 'Object to your information being in the shared care record');
  await markWindow(page);

  const reason = page.getByLabel('Why are you objecting?');
  await reason.fill('I was treated there');
  if (hydrated()) {
    await expect(page.getByText('You have 1,981 characters remaining')).toBeVisible();
  } else {
    await expect(page.getByText('You can enter up to 2,000 characters')).toBeVisible();
  }

  // Missing answers: the error summary names each, and what was typed is kept.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Select what your objection is about');
  await expect(page.getByRole('alert')).toContainText('Select how we should contact you');
  await expectNhsPage(page, 'Object to your information being in the shared care record');
  await expect(reason).toHaveValue('I was treated there');
  await page.getByRole('link', { name: 'Select what your objection is about' }).click();
  await expect(page.getByLabel('All of my information')).toBeFocused();

  // With JavaScript on, an option's further questions show only once it is chosen (the NHS
  // conditional reveal); with it off, they all show, each under its option.
  const orgs = page.getByLabel('Northshire Mental Health NHS Trust');
  if (hydrated()) {
    await expect(orgs).toBeHidden();
    await expect(page.getByLabel('Email address')).toBeHidden();
    await expect(page.getByLabel('Information from some organisations')).toHaveAttribute('aria-controls', /conditional/);
  } else {
    await expect(orgs).toBeVisible();
    await expect(page.getByLabel('Email address')).toBeVisible();
  }
  await page.getByLabel('Information from some organisations').check();
  await expect(orgs).toBeVisible();
  await orgs.check();
  await reason.fill('I was treated there years ago and want it kept private.');
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expectNhsPage(page, 'Check your answers');
  await expect(page.getByText('Information from: Northshire Mental Health NHS Trust')).toBeVisible();
  await expect(page.getByText('By email to amira@example.com')).toBeVisible();
  await page.getByRole('button', { name: 'Send objection' }).click();

  await expectNhsPage(page, 'Objection sent');
  const reference = (await page.locator('.scr-confirmation strong').innerText()).trim();
  expect(reference).toMatch(/^OBJ-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(page.getByText(/^Due by \d{1,2} \w+ \d{4}\. We will tell you/)).toBeVisible();
  await expectNoFullReload(page);

  // A refresh of the confirmation makes no second objection.
  await page.reload();
  await expectNhsPage(page, 'Objection sent');
  // Back at check your answers after sending: it says it was sent, and offers no Send button.
  await page.goBack();
  await expect(page.getByText('You have already sent this objection.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send objection' })).toHaveCount(0);
  await page.goto(`/your-requests/${reference}/confirmation`);
  await expectNhsPage(page, 'Objection sent');
  await page.getByRole('link', { name: 'All your requests' }).click();
  await expectNhsPage(page, 'Your requests');
  await expect(page.getByRole('link', { name: reference })).toHaveCount(1);

  await page.getByRole('link', { name: reference }).click();
  await expectNhsPage(page, 'Objection');
  await expect(page.getByText('We received your objection.')).toBeVisible();
  await expect(page.getByText('I was treated there years ago and want it kept private.')).toBeVisible();
  await page.getByRole('button', { name: 'Withdraw objection' }).click();
  await expectNhsPage(page, 'Are you sure you want to withdraw your objection?');
  await page.getByRole('button', { name: 'Yes, withdraw my objection' }).click();
  await expectNhsPage(page, 'Objection');
  await expect(page.getByText('You withdrew this objection.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Withdraw objection' })).toHaveCount(0);
});

test('a patient asks for a copy of their information and is told when it is due', async ({ page }) => {
  await demoSignIn(page, 'Amira Khan');
  await page.getByRole('link', { name: 'Ask for a copy of your information' }).click();
  await expectNhsPage(page, 'Ask for a copy of your information');
  await markWindow(page);

  await page.getByLabel('A list of who has looked at my record, when and why').check();
  await page.getByLabel('Between two dates').check();
  await page.locator('#from-day').fill('1');
  await page.locator('#from-month').fill('3');
  await page.locator('#from-year').fill('2025');
  await page.locator('#to-day').fill('1');
  await page.locator('#to-month').fill('1');
  await page.locator('#to-year').fill('2099');
  await page.getByLabel('By post').check();
  await page.getByLabel('Text message').check();
  await page.getByLabel('UK mobile number').fill('07700 900982');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('alert')).toContainText('The end date must be today or in the past');
  await expect(page.getByRole('alert')).toContainText('Enter the postal address to send your information to');
  await expectNhsPage(page, 'Ask for a copy of your information');
  await expect(page.locator('#from-year')).toHaveValue('2025');

  await page.locator('#to-year').fill('2025');
  await page.locator('#to-month').fill('12');
  await page.locator('#to-day').fill('31');
  await page.getByLabel('Address to post it to').fill('1 Riverside Road\nNorthtown\nNS1 2AB');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expectNhsPage(page, 'Check your answers');
  await expect(page.getByText('From 1 March 2025 to 31 December 2025')).toBeVisible();
  await page.getByRole('button', { name: 'Send request' }).click();

  await expectNhsPage(page, 'Request sent');
  const reference = (await page.locator('.scr-confirmation strong').innerText()).trim();
  expect(reference).toMatch(/^SAR-/);
  await expectNoFullReload(page);
  await page.getByRole('link', { name: 'See this request' }).click();
  await expectNhsPage(page, 'Request for your information');
  await expect(page.getByText(/^Due by /)).toBeVisible();
});

test('a partly verified patient is told how to verify before they can object', async ({ page }) => {
  await demoSignIn(page, 'Tom Reid');
  await page.goto('/objections/new');
  await expectNhsPage(page, 'Object to your information being in the shared care record');
  await expect(page.getByText(/not yet proved who you are with photo ID/)).toBeVisible();
  // His area is known from his GP surgery: he is sent to its contact details, not a search.
  await expect(page.getByRole('link', { name: /Southvale Care Record.s contact details/ })).toHaveAttribute('href', '/areas/southvale');
  await expect(page.getByRole('button', { name: 'Continue' })).toHaveCount(0);
});

test('a page with errors says so first in its title', async ({ page }) => {
  await demoSignIn(page, 'Amira Khan');
  await page.goto('/access-requests/new');
  await expect(page).toHaveTitle(/^Ask for a copy of your information - /);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: Ask for a copy of your information - Shared care record privacy - NHS$/);
});
