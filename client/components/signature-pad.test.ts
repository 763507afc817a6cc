import { expect } from 'chai';
import { FORMAT_MESSAGE } from './photo-processing.ts';
import { SIGNATURE_MAX_HEIGHT, SIGNATURE_MAX_WIDTH } from './signature-geometry.ts';
import { NO_INK_MESSAGE, type SignatureChangeDetail, type SignaturePad } from './signature-pad.ts';
import { mount as mountElement, waitFor } from '../test-support/elements.ts';

const mount = (setup?: (el: SignaturePad) => void) => mountElement('signature-pad', setup);

function canvasOf(el: SignaturePad) {
  return el.shadowRoot!.querySelector('canvas')!;
}

function button(el: SignaturePad, label: string) {
  return [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!;
}

function text(el: SignaturePad, id: string) {
  return el.shadowRoot!.querySelector(`#${id}`)!.textContent?.trim() ?? '';
}

/** Draws one stroke through the given points (fractions of the pad's size) with synthetic pointer events. */
function draw(el: SignaturePad, points: [number, number][], pointerId = 1) {
  const canvas = canvasOf(el);
  const rect = canvas.getBoundingClientRect();
  const fire = (type: string, [fx, fy]: [number, number]) =>
    canvas.dispatchEvent(
      new PointerEvent(type, {
        pointerId,
        pointerType: 'pen',
        button: 0,
        buttons: type === 'pointerup' ? 0 : 1,
        clientX: rect.left + rect.width * fx,
        clientY: rect.top + rect.height * fy,
        bubbles: true,
        cancelable: true,
      }),
    );
  fire('pointerdown', points[0]!);
  for (const p of points.slice(1)) fire('pointermove', p);
  fire('pointerup', points[points.length - 1]!);
}

function nextChange(el: SignaturePad) {
  return new Promise<SignatureChangeDetail>((resolve) => {
    el.addEventListener('signature-change', (e) => resolve((e as CustomEvent<SignatureChangeDetail>).detail), {
      once: true,
    });
  });
}

async function pixelsOf(blob: Blob) {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

function pixel(image: ImageData, x: number, y: number) {
  const i = (y * image.width + x) * 4;
  return [...image.data.slice(i, i + 4)];
}

function darkPixels(image: ImageData) {
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) if ((image.data[i] ?? 255) < 100) dark++;
  return dark;
}

describe('signature-pad', function () {
  this.timeout(10000);

  afterEach(() => {
    document.body.replaceChildren();
  });

  it('offers a labelled pad, 清除, 完成 and a labelled file input', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('legend')?.textContent).to.contain('上传签名');
    const canvas = canvasOf(el);
    expect(canvas.getAttribute('aria-label')).to.equal('签名板，请用手指或鼠标在此处书写签名');
    expect(getComputedStyle(canvas).touchAction).to.equal('none');
    const input = root.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(root.querySelector(`label[for="${input.id}"]`)?.textContent).to.equal('上传签名');
    expect(input.accept).to.equal('image/jpeg,image/png,.jpg,.jpeg,.png');
    expect(button(el, '清除')).to.exist;
    expect(button(el, '完成')).to.exist;
  });

  it('describes its file input with the reviewer\'s 补正 note, a copy the page does not show twice', async () => {
    const el = await mount((e) => (e.note = '签名应为本人手写'));
    const root = el.shadowRoot!;
    const input = root.querySelector<HTMLInputElement>('#sig-file')!;
    const ids = input.getAttribute('aria-describedby')!.split(' ');
    const note = ids.map((id) => root.getElementById(id)).find((node) => node?.textContent?.includes('补正意见'));
    expect(note?.textContent).to.equal('补正意见：签名应为本人手写');
    expect(note?.checkVisibility()).to.equal(false);
    el.note = '';
    await el.updateComplete;
    expect(root.textContent).not.to.contain('补正意见');
  });

  it('turns a drawing into a trimmed PNG on white that fits 600×300', async () => {
    const el = await mount();
    draw(el, [
      [0.2, 0.5],
      [0.3, 0.3],
      [0.4, 0.7],
      [0.5, 0.3],
      [0.6, 0.6],
    ]);
    draw(el, [[0.7, 0.5]], 2); // a dot
    const change = nextChange(el);
    let bubbled = false;
    document.body.addEventListener('signature-change', () => {
      bubbled = true;
    });
    button(el, '完成').click();
    const { blob } = await change;
    expect(bubbled).to.equal(true);
    expect(blob.type).to.equal('image/png');
    const image = await pixelsOf(blob);
    expect(image.width).to.be.at.most(SIGNATURE_MAX_WIDTH);
    expect(image.height).to.be.at.most(SIGNATURE_MAX_HEIGHT);
    // Trimmed: much narrower than the pad.
    expect(image.width).to.be.lessThan(canvasOf(el).clientWidth * devicePixelRatio);
    expect(pixel(image, 0, 0)).to.deep.equal([255, 255, 255, 255]);
    expect(pixel(image, image.width - 1, image.height - 1)).to.deep.equal([255, 255, 255, 255]);
    expect(darkPixels(image)).to.be.greaterThan(50);
    expect(el.value).to.equal(blob);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img')?.src).to.match(/^blob:/);
  });

  it('scales a signature across the whole pad down to fit', async () => {
    const el = await mount();
    draw(el, [
      [0.01, 0.05],
      [0.5, 0.95],
      [0.99, 0.05],
    ]);
    const change = nextChange(el);
    button(el, '完成').click();
    const image = await pixelsOf((await change).blob);
    expect(image.width).to.be.at.most(SIGNATURE_MAX_WIDTH);
    expect(image.height).to.be.at.most(SIGNATURE_MAX_HEIGHT);
    expect(darkPixels(image)).to.be.greaterThan(50);
  });

  it('asks for a signature when 完成 is pressed on an empty pad', async () => {
    const el = await mount();
    let fired = false;
    el.addEventListener('signature-change', () => {
      fired = true;
    });
    button(el, '完成').click();
    await el.updateComplete;
    expect(text(el, 'sig-message')).to.equal(NO_INK_MESSAGE);
    expect(canvasOf(el).getAttribute('aria-describedby')).to.contain('sig-message');
    expect(el.shadowRoot!.querySelector('#sig-message')!.getAttribute('aria-live')).to.equal('assertive');
    expect(fired).to.equal(false);
  });

  it('清除 wipes the pad', async () => {
    const el = await mount();
    draw(el, [
      [0.2, 0.2],
      [0.8, 0.8],
    ]);
    const canvas = canvasOf(el);
    const ctx = canvas.getContext('2d')!;
    const inked = () => {
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
      return false;
    };
    expect(inked()).to.equal(true);
    button(el, '清除').click();
    expect(inked()).to.equal(false);
    button(el, '完成').click();
    await el.updateComplete;
    expect(text(el, 'sig-message')).to.equal(NO_INK_MESSAGE);
  });

  it('trims a chosen picture to its ink', async () => {
    const el = await mount();
    const source = new OffscreenCanvas(2400, 1800); // transparent, like many PNG signatures
    const sctx = source.getContext('2d')!;
    sctx.strokeStyle = '#000';
    sctx.lineWidth = 12;
    sctx.beginPath();
    sctx.moveTo(900, 800);
    sctx.bezierCurveTo(1000, 600, 1200, 1000, 1500, 850);
    sctx.stroke();
    const file = new File([await source.convertToBlob({ type: 'image/png' })], 'sign.png');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#sig-file')!;
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    const change = nextChange(el);
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const { blob } = await change;
    expect(blob.type).to.equal('image/png');
    const image = await pixelsOf(blob);
    expect(image.width).to.be.at.most(SIGNATURE_MAX_WIDTH);
    expect(image.height).to.be.at.most(SIGNATURE_MAX_HEIGHT);
    expect(pixel(image, 0, 0)).to.deep.equal([255, 255, 255, 255]);
    expect(darkPixels(image)).to.be.greaterThan(50);
  });

  it('refuses a file that is not jpg or png by content', async () => {
    const el = await mount();
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#sig-file')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['GIF89a......'], 'sign.png', { type: 'image/png' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => text(el, 'sig-message') === FORMAT_MESSAGE);
  });

  it('previews an existing signature and shows the form error', async () => {
    const small = new OffscreenCanvas(10, 10);
    small.getContext('2d')!.fillRect(2, 2, 5, 5);
    const blob = await small.convertToBlob({ type: 'image/png' });
    const el = await mount((e) => {
      e.value = blob;
      e.invalid = '请上传签名';
    });
    expect(el.shadowRoot!.querySelector('img')?.src).to.match(/^blob:/);
    expect(text(el, 'sig-error')).to.equal('请上传签名');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#sig-file')!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain('sig-error');
  });
});
