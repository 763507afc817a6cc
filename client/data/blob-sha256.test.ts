import { expect } from 'chai';
import { blobSha256 } from './blob-sha256.ts';
import { removeSubtleCrypto } from '../test-support/webcrypto-refusals.ts';

// FIPS 180-2 examples.
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Bytes enough to span many SHA-256 blocks, the same on every run. */
function photoLikeBytes(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(200_003);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7919 + (i >> 8)) & 0xff;
  return bytes;
}

describe('blobSha256', () => {
  it('gives the lowercase hex SHA-256 of the bytes', async () => {
    expect(await blobSha256(new Blob(['abc']))).to.equal(ABC);
    expect(await blobSha256(new Blob([]))).to.equal(EMPTY);
  });

  describe('with no crypto.subtle (a page not served over HTTPS, an old WebView)', () => {
    let restore: () => void;
    let withWebCrypto: string;
    beforeEach(async () => {
      withWebCrypto = await blobSha256(new Blob([photoLikeBytes()]));
      restore = removeSubtleCrypto();
    });
    afterEach(() => restore());

    it('gives the same ids as WebCrypto does', async () => {
      expect(globalThis.crypto.subtle).to.equal(undefined);
      expect(await blobSha256(new Blob(['abc']))).to.equal(ABC);
      expect(await blobSha256(new Blob([]))).to.equal(EMPTY);
      expect(await blobSha256(new Blob([photoLikeBytes()]))).to.equal(withWebCrypto);
    });
  });
});
