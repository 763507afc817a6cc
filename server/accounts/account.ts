/** A registered person as the server knows them; the password only as its hash. */
export interface Account {
  id: string;
  name: string;
  /** Canonical form: trimmed, check character upper-case. */
  idNumber: string;
  mobile: string;
  passwordHash: string;
  createdAt: string;
}
