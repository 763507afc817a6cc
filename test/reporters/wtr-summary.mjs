// web-test-runner reporter: after the run, prints `element: N passed, N failed`.
function count(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite.suites) count(child, totals);
}

export function summaryReporter(label = 'element') {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals);
        // A file that failed to load has no results but must still count as a failure.
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length) totals.failed++;
      }
      const tail = totals.skipped ? `, ${totals.skipped} skipped` : '';
      // Straight to stdout with a fresh line: the runner's terminal redraws must not prefix the closing line.
      process.stdout.write(`\n${label}: ${totals.passed} passed, ${totals.failed} failed${tail}\n`);
    },
  };
}
