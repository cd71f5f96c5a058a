import { expect, test } from '@playwright/test';
import { watchConsole } from '../helpers';

test('the system page reads PostgreSQL and a health-check job is completed by the worker', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/system');
  await expect(page.getByTestId('count-datasets')).toHaveText('2');
  await expect(page.getByTestId('count-images')).toHaveText('483');
  await page.getByRole('button', { name: 'Run health check' }).click();
  await expect(page.getByTestId('health-check').first()).toContainText(/completed by worker pid \d+/);
  expect(errors).toEqual([]);
});
