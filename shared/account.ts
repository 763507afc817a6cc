/** What the client may see of an account (GET /api/session): never the password hash. */
export type { AccountView } from './api/accounts.ts';
