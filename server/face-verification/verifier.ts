import { ConfigError } from '../config.ts';
import { developmentVerifier } from './development-verifier.ts';

export interface FaceVerificationInput {
  image: Uint8Array;
  /** The format as told by the bytes, not as the client declared it. */
  mime: string;
  accountId: string;
}

export interface FaceVerificationOutcome {
  passed: boolean;
  /** The provider's own id for this check, kept in place of the image. */
  reference: string;
}

/**
 * A liveness / face-match provider. Implementations must not keep the image: only the outcome and
 * the reference leave `verify`.
 */
export interface FaceVerifier {
  /** Stored with every verification and shown to the client ('development' → 开发模式). */
  name: string;
  verify(input: FaceVerificationInput): Promise<FaceVerificationOutcome>;
}

export const NO_PRODUCTION_VERIFIER_MESSAGE = '生产环境未配置人脸识别服务';

/**
 * The verifier for this deployment. No production provider exists yet, and a production start must
 * not silently accept every face, so it refuses to start instead.
 */
export function createFaceVerifier(config: { production: boolean }): FaceVerifier {
  if (config.production) throw new ConfigError(NO_PRODUCTION_VERIFIER_MESSAGE);
  return developmentVerifier;
}
