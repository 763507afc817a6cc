import type { Sex } from './resident-id.ts';

/** What the client may see of an account (GET /api/session): never the password hash. */
export interface AccountView {
  id: string;
  name: string;
  idNumber: string;
  mobile: string;
  birthDate: string;
  sex: Sex;
  faceVerified: boolean;
}
