// The console registers no service worker: it is used online, at the office, and never cached on a device.
import './staff-console.ts';
