export type FaceVerificationResult = 'pass' | 'fail';

/** The verdict of one face check. Only what the verifier answered is kept, never the image (PIPL). */
export interface FaceVerification {
  id: string;
  accountId: string;
  result: FaceVerificationResult;
  provider: string;
  reference: string;
  verifiedAt: string;
}
