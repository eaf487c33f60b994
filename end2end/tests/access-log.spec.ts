// "Who has looked at your record": Amira reads her log (a month of demonstration events),
// filters it, pages through it, and raises a concern about one entry.
import { expect, test, demoSignIn, expectNhsPage } from './helpers';

test('a patient reads who has looked at their record, filters and pages it', async ({ page }) => {
  await demoSignIn(page, 'Amira Khan');
  await page.getByRole('link', { name: 'See who has looked at your record' }).click();
  await expectNhsPage(page, 'Who has looked at your record');
  await expect(page.getByText('Emergency access').first()).toBeVisible();
  await expect(page.getByText(/^Automated checks by Northshire Shared Care Record: 1 time$/).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Which systems send us these records' })).toBeVisible();

  await page.getByRole('link', { name: 'Show each automated check' }).click();
  await expect(page.getByText('Nightly record matching').first()).toBeVisible();
  await page.getByRole('link', { name: 'Collapse automated checks' }).click();

  await page.getByText('Filter by date or organisation').click();
  await page.getByLabel('Organisation').selectOption({ label: 'Riverside Medical Centre' });
  await page.getByRole('button', { name: 'Apply filter' }).click();
  await expectNhsPage(page, 'Who has looked at your record');
  await expect(page.locator('.scr-access').first()).toContainText('Riverside Medical Centre');
  await expect(page.locator('.scr-access', { hasText: 'Northshire Hospitals NHS Foundation Trust' })).toHaveCount(0);

  await page.goto('/access-log?automated=show');
  await page.getByRole('link', { name: /Older/ }).click();
  await expectNhsPage(page, 'Who has looked at your record');
  await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
});

test('a patient raises a concern about a look they do not recognise', async ({ page }) => {
  await demoSignIn(page, 'Amira Khan');
  await page.goto('/access-log');
  await page.getByRole('link', { name: /I don't recognise this/ }).first().click();
  await expectNhsPage(page, 'Tell us you do not recognise this');
  await page.getByRole('button', { name: 'Send concern' }).click();
  await expect(page.getByRole('alert')).toContainText('Tell us what you do not recognise');
  await expectNhsPage(page, 'Tell us you do not recognise this');
  await page.getByLabel('What do you not recognise, and why does it worry you?').fill('I have not seen this doctor.');
  await page.getByLabel('Email', { exact: true }).check();
  await page.getByLabel('Email address').fill('amira@example.com');
  await page.getByRole('button', { name: 'Send concern' }).click();
  await expectNhsPage(page, 'Concern sent');
  const reference = (await page.locator('.scr-confirmation strong').innerText()).trim();
  expect(reference).toMatch(/^CON-/);
  await page.goto(`/your-requests/${reference}`);
  await expectNhsPage(page, 'Concern about who looked at your record');
  await expect(page.getByText('I have not seen this doctor.')).toBeVisible();
});

test('an administrator registers a system that sends access records and sees its secret once', async ({ page }) => {
  await demoSignIn(page, 'Helen Marsh');
  await page.getByRole('link', { name: 'Systems that send access records' }).click();
  await expectNhsPage(page, 'Systems that send access records');
  await page.getByRole('button', { name: 'Register system' }).click();
  await expect(page.getByRole('alert')).toContainText("Enter the system's name");
  await page.getByLabel('Name').fill(`Test system ${test.info().project.name}`);
  await page.getByRole('button', { name: 'Register system' }).click();
  await expect(page.getByText(/is registered$/)).toBeVisible();
  await expect(page.locator('.scr-secret')).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await expectNhsPage(page, 'Systems that send access records');
  await page.reload();
  await expect(page.locator('.scr-secret')).toHaveCount(0);
});
