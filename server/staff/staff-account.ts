/** A staff (reviewer, admin) or employer account as the server knows it; the password only as its hash. */
export type StaffRole = 'reviewer' | 'admin' | 'employer';

export const STAFF_ROLES: readonly StaffRole[] = ['reviewer', 'admin', 'employer'];

export interface StaffAccount {
  id: string;
  username: string;
  role: StaffRole;
  /** The employer's USCC; undefined for reviewers and admins. */
  uscc?: string;
  passwordHash: string;
  /** True while the password is the one-time one printed at creation: it cannot sign in. */
  passwordTemporary: boolean;
  totpSecret: string;
  /** Time step of the last accepted code; that step and older ones are refused. */
  totpLastStep?: number;
  /** Failures in a row since the last success. */
  failedAttempts: number;
  lockedUntil?: string;
  disabledAt?: string;
  createdAt: string;
}
