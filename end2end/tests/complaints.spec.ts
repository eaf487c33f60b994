// Complaints and requests to look again, hydrated and with JavaScript off: a patient complains
// about a declined objection from the decision itself; the IG lead acknowledges it with a date
// for the answer, sends the objection back for someone else to decide, and answers; the
// patient reads the outcome and the route to the ICO. axe checks every page on the way.
import { Page } from '@playwright/test';
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectNhsPage(page, 'You have signed out');
}

test('a patient complains about a declined objection, and the IG lead reopens it and answers', async ({ page }) => {
  // Three people, fifteen pages, each checked by axe (with JavaScript off, in a second page).
  test.setTimeout(120_000);
  // Amira objects; Chloe declines it.
  await demoSignIn(page, 'Amira Khan');
  await page.goto('/objections/new');
  await page.getByLabel('All of my information').check();
  await page.getByLabel('Why are you objecting?').fill('I do not want my records shared at all.');
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send objection' }).click();
  await expectNhsPage(page, 'Objection sent');
  const objection = (await page.locator('.scr-confirmation strong').innerText()).trim();
  await signOut(page);

  await demoSignIn(page, 'Chloe Adams');
  await page.goto(`/cases/${objection}`);
  await page.getByLabel('Decline').check();
  await page.getByLabel('Required by law').check();
  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('status')).toContainText('The decision was recorded');
  await signOut(page);

  // From the decision: "Not happy with this?", with the objection already chosen.
  await demoSignIn(page, 'Amira Khan');
  await page.goto(`/your-requests/${objection}`);
  await expectNhsPage(page, 'Objection');
  await page.getByRole('link', { name: 'Complain or ask us to look again' }).click();
  await expectNhsPage(page, 'Complain or ask us to look again');
  await expect(page.getByLabel(new RegExp(`Objection ${objection}`))).toBeChecked();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter what you are unhappy about');
  await expect(page.getByRole('alert')).toContainText('Enter what you would like to happen');
  await expectNhsPage(page, 'Complain or ask us to look again');
  await page.getByLabel('What are you unhappy about?').fill('Nobody told me why it was declined.');
  await page.getByLabel('What would you like to happen?').fill('Look at it again.');
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectNhsPage(page, 'Check your answers');
  await expect(page.getByText(`Objection ${objection}`)).toBeVisible();
  await page.getByRole('button', { name: 'Send complaint' }).click();
  await expectNhsPage(page, 'Complaint sent');
  const complaint = (await page.locator('.scr-confirmation strong').innerText()).trim();
  expect(complaint).toMatch(/^CMP-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(page.getByText(/^We will acknowledge it by \d{1,2} \w+ \d{4}\./)).toBeVisible();
  await signOut(page);

  // Samuel, the IG lead: acknowledge (the date offered is within the rules), reopen, answer.
  await demoSignIn(page, 'Samuel Okafor');
  await page.goto(`/cases/${complaint}`);
  await expectNhsPage(page, 'Complaint');
  await expect(page.getByText('Nobody told me why it was declined.')).toBeVisible();
  await page.getByLabel('Anything else to tell the patient (optional)').fill('Samuel is looking into it.');
  await page.getByRole('button', { name: 'Acknowledge and tell the patient' }).click();
  await expect(page.getByRole('status')).toContainText('The complaint was acknowledged');
  await page.getByRole('button', { name: 'Reopen the objection' }).click();
  await expect(page.getByRole('status')).toContainText('The objection was reopened');
  await page.getByRole('button', { name: 'Record the outcome' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose the outcome');
  await expectNhsPage(page, 'Complaint');
  await page.getByLabel('Upheld in part').check();
  await page.getByLabel('What you found, for the patient').fill('We should have explained the decision.');
  await page.getByLabel('What has been or will be done (when upheld)').fill('A different case worker is deciding your objection again.');
  await page.getByRole('button', { name: 'Record the outcome' }).click();
  await expect(page.getByRole('status')).toContainText('The outcome was recorded');
  await signOut(page);

  await demoSignIn(page, 'Amira Khan');
  await page.goto(`/your-requests/${complaint}`);
  await expectNhsPage(page, 'Complaint');
  await expect(page.getByText('We upheld part of your complaint')).toBeVisible();
  await expect(page.getByText('We acknowledged your complaint. We will give you our answer by')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Make a complaint to the ICO' })).toHaveAttribute('href', 'https://ico.org.uk/make-a-complaint/');
  await page.goto(`/your-requests/${objection}`);
  await expect(page.getByText(`After your complaint ${complaint}, we are looking at your objection again.`)).toBeVisible();
});
