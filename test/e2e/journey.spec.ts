import { expectNoAxeViolations } from './accessibility.ts';
import { test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

test('a new applicant goes from the service page to 您所申请的事项已经提交成功！', async ({ page }) => {
  // Every screen is checked with axe as soon as it is ready.
  await applyAsNewApplicant(page, madeUpIdNumber(), { check: (screen) => expectNoAxeViolations(page, screen) });
});
