import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sha256Hex } from '../crypto/sha256.ts';
import type { NewSigningKey } from '../db/server-keys-store.ts';
import { RECEIPT_SIGNATURE_ALGORITHM } from '../../shared/receipt-signature.ts';

/** The raw 32-byte Ed25519 public key of a private or public key, base64url (JWK's `x` is exactly that). */
export function rawPublicKeyOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { x } = publicKey.export({ format: 'jwk' });
  if (!x) throw new Error('not an Ed25519 key');
  return x;
}

/** Key id: first 16 hex digits of the SHA-256 of the raw public key, so anyone can recompute it. */
export function signingKeyId(rawPublicKeyBase64url: string): string {
  return sha256Hex(Buffer.from(rawPublicKeyBase64url, 'base64url')).slice(0, 16);
}

/**
 * An Ed25519 private key from configuration: PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or the same
 * DER in base64. Throws with a short reason (never the key) for anything else, or another algorithm.
 */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey({ key: trimmed, format: 'pem' })
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('not a PKCS#8 private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`);
  return key;
}

/** A fresh key in the form the server_keys table keeps. */
export function newStoredSigningKey(): NewSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicRaw = rawPublicKeyOf(privateKey);
  return {
    id: signingKeyId(publicRaw),
    algorithm: RECEIPT_SIGNATURE_ALGORITHM,
    privatePkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicRaw,
  };
}
