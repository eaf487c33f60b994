// An IG lead clears their privacy monitoring queue: from Staff home to the queue, a person's
// flagged accesses with the explanation of each rule, a review sent back for a missing
// decision, then recorded; and the area's rules and watch list. Hydrated and with JavaScript
// off. The demo's alerts come from the seeded access events, which the background job checks
// as the portal starts.
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

test('an IG lead reviews the accesses flagged for one person', async ({ page }) => {
  await demoSignIn(page, 'Samuel Okafor');
  await page.getByRole('link', { name: 'Privacy monitoring' }).click();
  await expectNhsPage(page, 'Privacy monitoring');
  // The job runs the rules over the demo's events within a few seconds of starting.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('table a').first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 45_000 });

  // Filtered to a rule, everyone listed has met it.
  await page.getByLabel('Rule', { exact: true }).selectOption('first_access');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expectNhsPage(page, 'Privacy monitoring');
  await expect(page.getByRole('cell', { name: /First access by the organisation/ }).first()).toBeVisible();

  const person = page.locator('table a').first();
  const name = (await person.innerText()).trim();
  await person.click();
  await expectNhsPage(page, name);
  await expect(page.getByRole('heading', { name: 'Why these accesses were flagged' })).toBeVisible();
  await expect(page.getByText(/had never looked at this patient/)).toBeVisible();

  // Sent without a decision or a reason: the NHS error summary, nothing recorded.
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('alert')).toContainText('Select your decision');
  await expect(page.getByRole('alert')).toContainText('Enter the reason for your decision');
  await expectNhsPage(page, name);

  await page.getByLabel('Appropriate', { exact: true }).check();
  await page.getByLabel('Reason', { exact: true }).fill('A new referral from the GP: the clinic opened the record to book the first appointment.');
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('status')).toContainText('Your review is recorded.');
  await expect(page.getByText('A new referral from the GP').first()).toBeVisible();
  await expectNhsPage(page, name);
});

test('an IG lead sets the rules and keeps the watch list', async ({ page }) => {
  await demoSignIn(page, 'Samuel Okafor');
  await page.goto('/monitoring?area=southvale');
  await expectNhsPage(page, 'Privacy monitoring');
  await page.getByRole('link', { name: 'Rules and watch list' }).click();
  await expectNhsPage(page, 'Rules and watch list');

  await page.getByLabel('Working hours end').fill('7pm');
  await page.getByRole('button', { name: 'Save the rules' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a time like 08:00 or 18:30');
  await expectNhsPage(page, 'Rules and watch list');
  await expect(page.getByLabel('Working hours end')).toHaveValue('7pm');
  await page.getByLabel('Working hours end').fill('19:00');
  await page.getByRole('button', { name: 'Save the rules' }).click();
  await expect(page.getByRole('status')).toContainText('Saved.');
  await expect(page.getByLabel('Working hours end')).toHaveValue('19:00');

  // A made-up NHS number each run, so the spec can run again on the same portal.
  const nhs = test.info().project.name === 'no-js' ? '9000000025' : '9000000017';
  const shown = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
  await page.getByLabel('NHS number').fill(nhs);
  await page.getByLabel('Why', { exact: true }).fill('Member of staff at the trust');
  await page.getByRole('button', { name: 'Add to the watch list' }).click();
  await expect(page.getByRole('status')).toContainText('Added to the watch list.');
  await expect(page.getByRole('cell', { name: shown, exact: true })).toBeVisible();
  await expectNhsPage(page, 'Rules and watch list');
  await page.getByRole('button', { name: `Remove ${shown} from the watch list` }).click();
  // Asked first; "No" changes nothing.
  await expectNhsPage(page, `Take ${shown} off the watch list?`);
  await page.getByRole('link', { name: 'No, go back' }).click();
  await expect(page.getByRole('cell', { name: shown, exact: true })).toBeVisible();
  await page.getByRole('button', { name: `Remove ${shown} from the watch list` }).click();
  await page.getByRole('button', { name: 'Yes, take it off' }).click();
  await expect(page.getByRole('status')).toContainText('Removed from the watch list.');
  await expect(page.getByRole('cell', { name: shown, exact: true })).toHaveCount(0);
});

test('a patient\u2019s concern is referred to the employer, and the patient reads the outcome', async ({ page }) => {
  // Amira does not recognise one of the community nurse's looks (a different one each run).
  await demoSignIn(page, 'Amira Khan');
  await page.goto('/access-log');
  await page.getByText('Filter by date or organisation').click();
  await page.getByLabel('Organisation').selectOption({ label: 'Northshire Community Health Services' });
  await page.getByRole('button', { name: 'Apply filter' }).click();
  // Hydrated, the filtered page arrives after the click: wait for it before choosing a look.
  await expect(page).toHaveURL(/org=RX3/);
  await expect(page.locator('.scr-access').first()).toContainText('Northshire Community Health Services');
  const which = test.info().project.name === 'no-js' ? 1 : 0;
  await page.getByRole('link', { name: /I don't recognise this/ }).nth(which).click();
  await page.getByLabel('What do you not recognise, and why does it worry you?').fill('I have never had a district nurse.');
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Send concern' }).click();
  await expectNhsPage(page, 'Concern sent');
  const reference = (await page.locator('.scr-confirmation strong').innerText()).trim();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The IG lead finds the nurse first in the queue, a patient waiting, and refers the looks.
  await demoSignIn(page, 'Samuel Okafor');
  await page.goto('/monitoring?area=northshire');
  const row = page.getByRole('table', { name: /People with alerts/ }).getByRole('row', { name: /Nurse Tom Baker/ });
  await expect(row).toContainText('Patient concern');
  await row.getByRole('link', { name: 'Nurse Tom Baker' }).click();
  await expectNhsPage(page, 'Nurse Tom Baker');
  await expect(page.getByRole('heading', { name: 'A patient is waiting' })).toBeVisible();
  await page.getByLabel('Refer to their employing organisation').check();
  await page.getByLabel('Reason', { exact: true }).fill('The patient does not recognise these looks. Please find out why the nurse opened the record.');
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter who at the organisation it goes to');
  await expectNhsPage(page, 'Nurse Tom Baker');
  await page.getByLabel('Who it goes to there').fill('Information governance team, ig@community.example.nhs.uk');
  await page.getByRole('button', { name: 'Record the review' }).click();
  await expectNhsPage(page, /^Referral \d+: investigation pack$/);
  await expect(page.getByRole('status')).toContainText('Referred.');
  await expect(page.getByRole('cell', { name: /Patient raised a concern/ }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download the accesses (CSV)' })).toBeVisible();

  // Their reply, and what Amira is told.
  await page.getByLabel('Inappropriate access confirmed').check();
  await page.getByLabel('Their reply').fill('The nurse opened the wrong record; retrained and reminded of the policy.');
  await page.getByLabel('What to tell the patient').fill('The person who looked at your record should not have. Their employer has dealt with it.');
  await page.getByRole('button', { name: 'Record the outcome' }).click();
  await expect(page.getByRole('status')).toContainText('The outcome is recorded.');
  await expect(page.getByText('Inappropriate access confirmed').first()).toBeVisible();
  await expectNhsPage(page, /^Referral \d+: investigation pack$/);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, 'Amira Khan');
  await page.goto(`/your-requests/${reference}`);
  await expectNhsPage(page, 'Concern about who looked at your record');
  await expect(page.getByText('We upheld your concern and have acted on it')).toBeVisible();
  await expect(page.getByText('Their employer has dealt with it.')).toBeVisible();
  await expect(page.getByText('retrained')).toHaveCount(0);
});

// WCAG 1.4.10 (reflow): at 320 CSS pixels wide, staff tables become one block per row, each
// cell labelled with its column, so nothing scrolls sideways.
test('staff tables reflow on a screen 320 pixels wide', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await demoSignIn(page, 'Samuel Okafor');
  for (const path of ['/cases', '/monitoring', '/monitoring/northshire/figures', '/areas/northshire/figures']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
  }
});
