import { expect } from 'chai';
import { FORMAT_MESSAGE, PHOTO_HEIGHT, PHOTO_MAX_BYTES, PHOTO_WIDTH } from './photo-processing.ts';
import { NOT_WHITE_MESSAGE, type PhotoChangeDetail, type PhotoTool, smallerPhoto } from './photo-tool.ts';
import { mount as mountElement, waitFor } from '../test-support/elements.ts';

const mount = (setup?: (el: PhotoTool) => void) => mountElement('photo-tool', setup);

/** A 1200×1600 portrait: plain background, a dark "face" and shoulders. */
async function portrait(background: string, type = 'image/jpeg'): Promise<File> {
  const canvas = new OffscreenCanvas(1200, 1600);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, 1200, 1600);
  ctx.fillStyle = '#3b2a20';
  ctx.beginPath();
  ctx.ellipse(600, 700, 300, 400, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#1d2a44';
  ctx.fillRect(0, 1300, 1200, 300);
  const blob = await canvas.convertToBlob({ type, quality: 0.95 });
  return new File([blob], type === 'image/png' ? 'photo.png' : 'photo.jpg', { type });
}

/** Random noise compresses badly: makes the quality loop work for its living. */
async function noise(): Promise<File> {
  const canvas = new OffscreenCanvas(900, 1260);
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(900, 1260);
  for (let i = 0; i < image.data.length; i++) image.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256);
  ctx.putImageData(image, 0, 0);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], 'noise.png', { type: 'image/png' });
}

function choose(el: PhotoTool, file: File) {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('#photo-file')!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

function button(el: PhotoTool, text: string) {
  return [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
}

/** Chooses the file, waits for the frame, presses 使用此照片 and returns the event's detail. */
async function produce(el: PhotoTool, file: File): Promise<PhotoChangeDetail> {
  const event = new Promise<PhotoChangeDetail>((resolve) => {
    el.addEventListener('photo-change', (e) => resolve((e as CustomEvent<PhotoChangeDetail>).detail), { once: true });
  });
  choose(el, file);
  const use = await waitFor(() => button(el, '使用此照片'));
  use.click();
  return event;
}

async function dimensions(blob: Blob) {
  const bitmap = await createImageBitmap(blob);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

function text(el: PhotoTool, id: string) {
  return el.shadowRoot!.querySelector(`#${id}`)!.textContent?.trim() ?? '';
}

describe('photo-tool', function () {
  this.timeout(15000);

  afterEach(() => {
    document.body.replaceChildren();
  });

  it('labels the file input and accepts only jpg, jpeg and png', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const input = root.querySelector<HTMLInputElement>('input[type="file"]')!;
    const label = root.querySelector<HTMLLabelElement>(`label[for="${input.id}"]`)!;
    expect(label.textContent).to.contain('上传一寸免冠照片');
    expect(input.accept).to.equal('image/jpeg,image/png,.jpg,.jpeg,.png');
    expect(input.getAttribute('aria-describedby')).to.contain('photo-error').and.contain('photo-message');
  });

  it('describes its file input with the reviewer\'s 补正 note, a copy the page does not show twice', async () => {
    const el = await mount((e) => (e.note = '照片背景应为白色'));
    const root = el.shadowRoot!;
    const input = root.querySelector<HTMLInputElement>('#photo-file')!;
    const ids = input.getAttribute('aria-describedby')!.split(' ');
    const note = ids.map((id) => root.getElementById(id)).find((node) => node?.textContent?.includes('补正意见'));
    expect(note?.textContent).to.equal('补正意见：照片背景应为白色');
    // The form shows the note beside the element; this copy is for the description alone.
    expect(note?.checkVisibility()).to.equal(false);
    el.note = '';
    await el.updateComplete;
    expect(root.textContent).not.to.contain('补正意见');
  });

  it('turns a white-background photo into a 295×413 JPEG within 60 KB', async () => {
    const el = await mount();
    let bubbled = false;
    document.body.addEventListener('photo-change', () => {
      bubbled = true;
    });
    const detail = await produce(el, await portrait('#ffffff'));
    expect(bubbled).to.equal(true);
    expect(detail.blob.type).to.equal('image/jpeg');
    expect(detail.blob.size).to.be.at.most(PHOTO_MAX_BYTES);
    expect(await dimensions(detail.blob)).to.deep.equal({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT });
    expect(detail.whiteBackground).to.equal(true);
    expect(el.value).to.equal(detail.blob);
    await el.updateComplete;
    const img = el.shadowRoot!.querySelector('img')!;
    expect(img.src).to.match(/^blob:/);
    expect(text(el, 'photo-warning')).to.equal('');
    expect(button(el, '使用此照片'), 'the frame is gone').to.equal(undefined);
  });

  it('warns about a blue background but still delivers the photo', async () => {
    const el = await mount();
    const detail = await produce(el, await portrait('#3c78d8', 'image/png'));
    expect(detail.whiteBackground).to.equal(false);
    expect(detail.blob.type).to.equal('image/jpeg');
    expect(detail.blob.size).to.be.at.most(PHOTO_MAX_BYTES);
    expect(await dimensions(detail.blob)).to.deep.equal({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT });
    await el.updateComplete;
    expect(text(el, 'photo-warning')).to.equal(NOT_WHITE_MESSAGE);
  });

  it('keeps a noisy photo within 60 KB by lowering the quality', async () => {
    const el = await mount();
    const detail = await produce(el, await noise());
    expect(detail.blob.size).to.be.at.most(PHOTO_MAX_BYTES);
    expect(await dimensions(detail.blob)).to.deep.equal({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT });
  });

  it('offers the photo again within half its size, still 295×413 (when the device had no room for it)', async () => {
    const el = await mount();
    const { blob } = await produce(el, await portrait('#ffffff'));
    const smaller = await smallerPhoto(blob);
    expect(smaller.size).to.be.at.most(Math.floor(blob.size / 2));
    expect(smaller.type).to.equal('image/jpeg');
    expect(await dimensions(smaller)).to.deep.equal({ width: PHOTO_WIDTH, height: PHOTO_HEIGHT });
  });

  it('tells the size of the photo kept once the smaller copy replaces it', async () => {
    const el = await mount();
    const { blob } = await produce(el, await noise());
    await el.updateComplete;
    expect(text(el, 'photo-status')).to.equal(`照片已生成（${PHOTO_WIDTH}×${PHOTO_HEIGHT} 像素，${Math.ceil(blob.size / 1024)} KB）`);
    const smaller = await smallerPhoto(blob);
    expect(Math.ceil(smaller.size / 1024)).to.be.below(Math.ceil(blob.size / 1024));
    // What the form does after 使用较小的照片: the smaller copy becomes the photo in use.
    el.value = smaller;
    await el.updateComplete;
    expect(text(el, 'photo-status')).to.equal(`照片已生成（${PHOTO_WIDTH}×${PHOTO_HEIGHT} 像素，${Math.ceil(smaller.size / 1024)} KB）`);
  });

  it('refuses a GIF or a text file by its content, whatever its name', async () => {
    const el = await mount();
    let fired = false;
    el.addEventListener('photo-change', () => {
      fired = true;
    });
    const gif = new File([new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0])], 'photo.jpg', {
      type: 'image/jpeg',
    });
    choose(el, gif);
    await waitFor(() => text(el, 'photo-message') === FORMAT_MESSAGE);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#photo-file')!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');

    choose(el, new File(['not a photo'], 'photo.png', { type: 'image/png' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(text(el, 'photo-message')).to.equal(FORMAT_MESSAGE);
    expect(button(el, '使用此照片')).to.equal(undefined);
    expect(fired).to.equal(false);
  });

  it('moves the frame with the arrow keys and resizes it with 缩放', async () => {
    const el = await mount();
    // A landscape photo leaves room to move sideways at zoom 1.
    const canvas = new OffscreenCanvas(1600, 1000);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 1600, 1000);
    choose(el, new File([await canvas.convertToBlob({ type: 'image/png' })], 'wide.png'));
    const frame = await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('.frame'));
    const zoom = el.shadowRoot!.querySelector<HTMLInputElement>('#photo-zoom')!;
    expect(el.shadowRoot!.querySelector(`label[for="${zoom.id}"]`)?.textContent).to.equal('缩放');
    expect(frame.tabIndex).to.equal(0);

    const left = parseFloat(frame.style.left);
    frame.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(parseFloat(frame.style.left)).to.be.greaterThan(left);

    const width = parseFloat(frame.style.width);
    zoom.value = '2';
    zoom.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    expect(parseFloat(frame.style.width)).to.be.closeTo(width / 2, 0.01);
  });

  it('drags the frame with a pointer', async () => {
    const el = await mount();
    choose(el, await portrait('#ffffff'));
    const frame = await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('.frame'));
    const zoom = el.shadowRoot!.querySelector<HTMLInputElement>('#photo-zoom')!;
    zoom.value = '2';
    zoom.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    const top = parseFloat(frame.style.top);
    const rect = frame.getBoundingClientRect();
    const at = (type: string, dy: number) =>
      frame.dispatchEvent(
        new PointerEvent(type, {
          pointerId: 7,
          pointerType: 'touch',
          clientX: rect.left + 10,
          clientY: rect.top + 10 + dy,
          bubbles: true,
          cancelable: true,
        }),
      );
    at('pointerdown', 0);
    at('pointermove', 30);
    at('pointerup', 30);
    await el.updateComplete;
    expect(parseFloat(frame.style.top)).to.be.greaterThan(top);
  });

  it('重新选择 drops the frame and goes back to the file input', async () => {
    const el = await mount();
    choose(el, await portrait('#ffffff'));
    (await waitFor(() => button(el, '重新选择'))).click();
    await el.updateComplete;
    expect(button(el, '使用此照片')).to.equal(undefined);
    expect(el.shadowRoot!.activeElement?.id).to.equal('photo-file');
  });

  it('previews an existing photo and revokes the old URL when it is replaced', async () => {
    const first = await (await portrait('#ffffff')).slice(0, undefined, 'image/jpeg');
    const el = await mount((e) => {
      e.value = first;
    });
    const img = el.shadowRoot!.querySelector('img')!;
    const firstUrl = img.src;
    expect(firstUrl).to.match(/^blob:/);
    expect(img.alt).to.not.equal('');
    el.value = await (await portrait('#eeeeee')).slice(0, undefined, 'image/jpeg');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img')!.src).to.not.equal(firstUrl);
    let revoked = false;
    await fetch(firstUrl).catch(() => {
      revoked = true;
    });
    expect(revoked).to.equal(true);
  });

  it('shows the form error, linked to the input', async () => {
    const el = await mount();
    el.invalid = '请上传一寸免冠照片';
    await el.updateComplete;
    expect(text(el, 'photo-error')).to.equal('请上传一寸免冠照片');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#photo-file')!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
  });
});
