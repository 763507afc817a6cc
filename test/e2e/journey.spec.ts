import { expectNoAxeViolations } from './accessibility.ts';
import { expect, test } from './fixtures.ts';
import { applyAsNewApplicant } from './journey-steps.ts';
import { madeUpIdNumber } from './made-up-person.ts';

test('a new applicant goes from the service page to 您所申请的事项已经提交成功！', async ({ page }) => {
  // Anything the content security policy blocks on the way is a bug, even if the screen still works.
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  // Every screen is checked with axe as soon as it is ready.
  await applyAsNewApplicant(page, madeUpIdNumber(), { check: (screen) => expectNoAxeViolations(page, screen) });
  expect(blocked).toEqual([]);
});
