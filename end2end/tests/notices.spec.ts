// A comms team publishes a change to its privacy notice: the editor writes and previews it, an
// approver returns it once with comments, then approves it for a time; the publishing job
// puts it live; the public page shows the new version and every previous one. Hydrated and
// with JavaScript off.
import { Page } from '@playwright/test';
import { expect, test, demoSignIn, expectAccessible, expectNhsPage } from './helpers';

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectNhsPage(page, 'You have signed out');
}

/** Priya starts a change to the Northshire notice (or picks up the one she started). */
async function priyaOpensTheChange(page: Page) {
  await demoSignIn(page, 'Priya Shah');
  await page.getByRole('link', { name: 'Privacy notices' }).click();
  await expectNhsPage(page, 'Privacy notices');
  const start = page.getByRole('button', { name: 'Start a change to Privacy notice' });
  if (await start.count()) {
    await start.click();
  } else {
    await page.getByRole('link', { name: /\(Priya Shah\)$/ }).first().click();
  }
  await expectNhsPage(page, 'Change the notice');
}

test('write, preview, return, approve for later, publish, read every version', async ({ page }) => {
  // It waits for a time to come round: up to a minute and a half.
  test.setTimeout(240_000);
  const jsOn = test.info().project.use.javaScriptEnabled !== false;
  const sentence = jsOn ? 'We now also share with the Northshire hospice.' : 'We now also share with Northshire pharmacies.';
  const section = jsOn ? 'Hospice care' : 'Pharmacies';
  await priyaOpensTheChange(page);

  // An empty notice is refused, and nothing typed is lost.
  await page.getByLabel('Title').fill('');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a title for the notice');
  await expectNhsPage(page, 'Change the notice');

  await page.getByLabel('Title').fill('How the Northshire Shared Care Record uses your information');
  const body = page.getByLabel('The notice, in Markdown');
  await body.fill((await body.inputValue()) + `\n## ${section}\n\n${sentence}\n`);
  const preview = page.locator('.scr-editor__preview');
  if (jsOn) {
    // The preview follows the typing, drawn by the same renderer as the public page.
    await expect(preview.getByRole('heading', { name: section })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(preview.getByRole('heading', { name: section })).toBeVisible();
  await expect(page.locator('.scr-diff ins')).toContainText(sentence);
  await page.getByRole('button', { name: 'Send for review' }).click();
  await expect(page.getByRole('status')).toContainText('The change was sent for review.');
  await expectAccessible(page);

  // The author cannot approve their own change: the draft shows no review form to her.
  await page.getByRole('link', { name: /Waiting for review/ }).first().click();
  await expect(page.getByRole('button', { name: 'Send your review' })).toHaveCount(0);
  await signOut(page);

  // Gareth returns it with comments.
  await demoSignIn(page, 'Gareth Owen');
  await page.getByRole('link', { name: 'Privacy notices' }).click();
  await page.getByRole('link', { name: /Waiting for review/ }).first().click();
  await expectNhsPage(page, 'Review a change to the notice');
  await page.getByRole('button', { name: 'Send your review' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose whether to approve the change or return it');
  await page.getByLabel('Return it to the author with comments').check();
  await page.getByRole('button', { name: 'Send your review' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your comments for the author');
  await page.getByLabel('Comments for the author (if returning it)').fill('Please say since when.');
  await page.getByRole('button', { name: 'Send your review' }).click();
  await expect(page.getByRole('status')).toContainText('returned to its author');
  await signOut(page);

  // Priya answers the comment and sends it again.
  await priyaOpensTheChange(page);
  await expect(page.getByText('Please say since when.').first()).toBeVisible();
  await body.fill((await body.inputValue()).replace(sentence, `${sentence} This started in January.`));
  await page.getByRole('button', { name: 'Send for review' }).click();
  await expect(page.getByRole('status')).toContainText('sent for review');
  await signOut(page);

  // Gareth approves it for a minute from now; the publishing job puts it live.
  await demoSignIn(page, 'Gareth Owen');
  await page.getByRole('link', { name: 'Privacy notices' }).click();
  await page.getByRole('link', { name: /Waiting for review/ }).first().click();
  await page.getByLabel('Approve and publish at a date and time').check();
  const soon = new Date(Date.now() + 90_000);
  const uk = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(soon);
  const part = (t: string) => uk.find((p) => p.type === t)!.value;
  await page.getByLabel('Day', { exact: true }).fill(part('day'));
  await page.getByLabel('Month', { exact: true }).fill(part('month'));
  await page.getByLabel('Year', { exact: true }).fill(part('year'));
  await page.getByLabel('Time', { exact: true }).fill(`${part('hour')}:${part('minute')}`);
  await page.getByRole('button', { name: 'Send your review' }).click();
  await expect(page.getByRole('status')).toContainText('approved and will be published');
  await signOut(page);

  await expect(async () => {
    await page.goto('/areas/northshire');
    await expect(page.getByText(sentence)).toBeVisible();
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await expectNhsPage(page, 'How the Northshire Shared Care Record uses your information');
  await page.getByRole('link', { name: 'Previous versions' }).click();
  await expectNhsPage(page, 'Privacy notice: every version');
  await page.getByRole('link', { name: /^Version 1:/ }).click();
  await expect(page.getByText('This is an older version')).toBeVisible();
  await expect(page.getByText(sentence)).toHaveCount(0);
  await expectAccessible(page);
});

test('the area publishes engagement items and its figures; public pages pass axe', async ({ page }) => {
  await demoSignIn(page, 'Priya Shah');
  await page.getByRole('link', { name: 'Engagement', exact: true }).click();
  await expectNhsPage(page, 'Engagement');
  const title = `Open evening ${test.info().project.name}`;
  await page.getByLabel('A consultation').check();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('What it is about').fill('Tell us what you think about the **shared care record**.');
  await page.getByRole('button', { name: 'Add item' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter when the consultation closes');
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await page.getByLabel('Ends or closes (UK time)').fill('31 12 2099 17:00');
  await page.getByLabel('How to respond').fill('Write to us or fill in the survey.');
  await page.getByRole('button', { name: 'Add item' }).click();
  await expect(page.getByRole('status')).toContainText('The item was added.');
  await signOut(page);

  await page.goto('/areas/northshire');
  await page.getByRole('link', { name: 'Events, consultations and what we changed' }).click();
  await expectNhsPage(page, 'Events, consultations and what we changed');
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await page.goto('/areas/northshire');
  await page.getByRole('link', { name: 'Objections and requests, in figures' }).click();
  await expectNhsPage(page, 'Objections and requests, in figures');
});
