import { relative } from 'node:path';

// web-test-runner reporter: after the run, prints `element: N passed, N failed`.
function count(suite, totals, file, path = []) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else {
      totals.failed++;
      totals.failures.push(`${file} › ${[...path, test.name].join(' › ')}`);
    }
  }
  for (const child of suite.suites) count(child, totals, file, [...path, child.name]);
}

export function summaryReporter(label = 'element') {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals, relative(process.cwd(), session.testFile));
        // A file that failed to load has no results but must still count as a failure.
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length) {
          totals.failed++;
          totals.failures.push(`${relative(process.cwd(), session.testFile)} (did not load)`);
        }
      }
      // One line per failing test, marked as node's runner marks them, for the one test command's summary.
      for (const failure of totals.failures) process.stdout.write(`\n✖ ${failure}`);
      const tail = totals.skipped ? `, ${totals.skipped} skipped` : '';
      // Straight to stdout with a fresh line: the runner's terminal redraws must not prefix the closing line.
      process.stdout.write(`\n${label}: ${totals.passed} passed, ${totals.failed} failed${tail}\n`);
    },
  };
}
