/**
 * Work the first screen does not need (the shell's notices, the outbox, the status refresh, device data)
 * waits until the first frame has been painted, then starts one job per task. Each `import()` of a chunk
 * adds its dependencies' preload links synchronously, and each start reads IndexedDB: run together
 * before the first frame they cost a slow phone hundreds of milliseconds of blank screen, and run in
 * one task they block input just as long.
 */

/** The page's first frame, painted; a hidden page (no frames) goes on after a second anyway. */
function untilFramePainted(): Promise<void> {
  return new Promise<void>((resolve) => {
    const fallback = setTimeout(resolve, 1000);
    requestAnimationFrame(() => {
      // A task queued from the frame callback runs once that frame has been painted.
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0);
    });
  });
}

// Asked for on the first job, not when the module loads: modules importing the screens' texts load it
// outside a page too (the end-to-end tests in Node).
let firstFramePainted: Promise<void> | undefined;

const waiting: (() => void)[] = [];
let draining = false;

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function drain(): Promise<void> {
  draining = true;
  firstFramePainted ??= untilFramePainted();
  await firstFramePainted;
  for (let start = waiting.shift(); start; start = waiting.shift()) {
    start();
    await nextTask();
  }
  draining = false;
}

/**
 * Usage: `void afterFirstScreen(() => import('./sync/status-refresh.ts'))` — runs `job` in a task of its
 * own once the first screen is painted, in the order asked; the promise settles with the job's result.
 */
export function afterFirstScreen<T>(job: () => T | PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    waiting.push(() => {
      try {
        Promise.resolve(job()).then(resolve, reject);
      } catch (error) {
        reject(error);
      }
    });
    if (!draining) void drain();
  });
}
