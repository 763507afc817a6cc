// First: holds Chrome's install prompt from the start, though <install-prompt> loads later.
import './install-offer.ts';
import { afterFirstScreen } from './after-first-screen.ts';
import './app-shell.ts';

// After the first screen (workbox-window is not needed to paint it); Workbox registers on the load event anyway.
const serviceWorker = afterFirstScreen(() => import('./service-worker-registration.ts'));
if (import.meta.env.PROD) void serviceWorker.then(({ registerServiceWorker }) => registerServiceWorker());

// The device database (Dexie) first, in a task of its own: evaluated within the outbox's module graph,
// with the API's schemas, it would make one long task of both.
void afterFirstScreen(() => import('./data/local-db.ts'));

// Submissions waiting on this device go out now, when the network returns, and when they fall due.
// Loaded after the first screen: the outbox needs IndexedDB, the entry page does not.
// Background Sync wakes the service worker for it even after the page is closed.
void Promise.all([afterFirstScreen(() => import('./sync/outbox-scheduler.ts')), serviceWorker]).then(([{ startOutbox }, { requestOutboxSync }]) =>
  startOutbox({ requestSync: requestOutboxSync }),
);
// Where the person's applications stand, on start, on `online` and when shown again (a pending 补正
// shows a banner and a badge); also after the first screen, for the same reason.
void afterFirstScreen(() => import('./sync/status-refresh.ts')).then(({ startStatusRefresh }) => startStatusRefresh());
void afterFirstScreen(() => import('./data/device-data.ts')).then(({ finishPendingSignOut, onDeviceClearedElsewhere }) => {
  void finishPendingSignOut();
  window.addEventListener('online', () => void finishPendingSignOut());
  // Another tab cleared the device: nothing shown here may outlive that (a form would write its draft back).
  onDeviceClearedElsewhere(() => location.replace('/'));
});
