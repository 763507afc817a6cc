/**
 * The WebCrypto of older phones, in this browser: importKey refusing Ed25519 (Chromium before 137,
 * older WebViews), or no crypto.subtle at all (a page not served over HTTPS). Each returns its undo.
 */

export function refuseEd25519(): () => void {
  const subtle = crypto.subtle;
  const importKey = subtle.importKey;
  Object.defineProperty(subtle, 'importKey', {
    configurable: true,
    value: (...args: unknown[]) => {
      const algorithm = args[2] as AlgorithmIdentifier;
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      if (name === 'Ed25519') return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
      return Reflect.apply(importKey, subtle, args);
    },
  });
  return () => delete (subtle as { importKey?: unknown }).importKey;
}

export function removeSubtleCrypto(): () => void {
  Object.defineProperty(crypto, 'subtle', { configurable: true, value: undefined });
  return () => delete (crypto as { subtle?: unknown }).subtle;
}
