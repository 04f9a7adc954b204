/**
 * Preloaded into every test process by `scripts/run-tests.mjs` (`node --import`): a process warning
 * (MaxListenersExceededWarning, a deprecation, an unhandled-rejection notice…) becomes an uncaught
 * exception, which node's test runner reports as a failure of the test that was running, with the
 * warning's own stack. A warning is a defect to fix, not noise to scroll past.
 */
process.on('warning', (warning) => {
  const failure = new Error(`process warning: ${warning.name}: ${warning.message}`, { cause: warning });
  failure.stack = `${failure.message}\n${warning.stack ?? ''}`;
  throw failure;
});
