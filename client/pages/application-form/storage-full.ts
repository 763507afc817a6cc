import { html, nothing, type TemplateResult } from 'lit';
import type { DraftStore } from '../../data/draft-store.ts';
import { smallerPhoto } from '../../components/photo-tool.ts';

export const STORAGE_FULL_MESSAGE = '手机存储空间已满，照片未能保存。已填写的文字仍在，请清理手机空间后重试，或选择较小的照片。';
export const SMALLER_FAILED_MESSAGE = '照片无法再压缩，请清理手机空间后重试。';

/** The device refused a write: what was kept, and, when the photo was what did not fit, a smaller one. */
export function storageFullNotice(store: DraftStore, onSmaller: () => void): TemplateResult | typeof nothing {
  if (!store.storageFull) return nothing;
  return html`<div class="form-error" role="alert" id="storage-full">
    <p>${STORAGE_FULL_MESSAGE}</p>
    ${store.photoUnsaved ? html`<button type="button" class="secondary" @click=${onSmaller}>使用较小的照片</button>` : nothing}
  </div>`;
}

/**
 * 使用较小的照片: the photo the device had no room for, encoded again smaller and kept instead.
 * False when it cannot be made smaller within the rules.
 */
export async function keepSmallerPhoto(store: DraftStore): Promise<boolean> {
  const photo = store.record.photo;
  if (!photo) return true;
  const smaller = await smallerPhoto(photo).catch(() => undefined);
  if (!smaller) return false;
  store.setPhoto(smaller, store.record.photoWhiteBackground);
  await store.flush();
  return true;
}
