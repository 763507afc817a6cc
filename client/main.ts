import './app-shell.ts';
import { registerServiceWorker } from './service-worker-registration.ts';

if (import.meta.env.PROD) registerServiceWorker();
