import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMAGE_MAGIC_BYTES, sniffImageType } from './image-type.ts';

describe('sniffImageType', () => {
  it('tells JPEG and PNG by their magic bytes', () => {
    assert.equal(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0])), 'image/jpeg');
    assert.equal(sniffImageType([0xff, 0xd8, 0xff, 0xdb]), 'image/jpeg');
    assert.equal(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'image/png');
  });

  it('refuses anything else, a truncated signature included', () => {
    assert.equal(sniffImageType(new TextEncoder().encode('GIF89a')), undefined);
    assert.equal(sniffImageType(new TextEncoder().encode('%PDF-1.7')), undefined);
    assert.equal(sniffImageType([0xff, 0xd8]), undefined);
    assert.equal(sniffImageType([0x89, 0x50, 0x4e, 0x47]), undefined);
    assert.equal(sniffImageType(new Uint8Array(0)), undefined);
  });

  it('needs no more than IMAGE_MAGIC_BYTES leading bytes', () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3];
    assert.equal(sniffImageType(png.slice(0, IMAGE_MAGIC_BYTES)), 'image/png');
  });
});
