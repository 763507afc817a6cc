import { expect } from 'chai';
import { mount } from '../../test-support/elements.ts';
import './attachments-section.ts';

describe('application-attachments-section', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the 补正 note just before the photo and hands it to the photo tool to describe its input', async () => {
    const el = await mount('application-attachments-section', (e) => (e.notes = new Map([['photo', '照片背景不是白色，请重新上传']])));
    const note = el.querySelector('#photo-note')!;
    expect(note.textContent).to.equal('补正意见：照片背景不是白色，请重新上传');
    expect(note.checkVisibility()).to.equal(true);
    const tool = el.querySelector('photo-tool')!;
    expect(note.nextElementSibling).to.equal(tool);
    expect(tool.note).to.equal('照片背景不是白色，请重新上传');
    await tool.updateComplete;
    const input = tool.shadowRoot!.querySelector('#photo-file')!;
    const described = input.getAttribute('aria-describedby')!.split(' ').map((id) => tool.shadowRoot!.getElementById(id)?.textContent ?? '');
    expect(described).to.include('补正意见：照片背景不是白色，请重新上传');
    // No note on the signature: nothing beside it, nothing to describe it with.
    expect(el.querySelector('#signature-note')).to.equal(null);
    expect(el.querySelector('signature-pad')!.note).to.equal('');
  });

  it('the signature\'s note goes just before the pad and into it', async () => {
    const el = await mount('application-attachments-section', (e) => (e.notes = new Map([['signature', '签名应为本人手写']])));
    const note = el.querySelector('#signature-note')!;
    const pad = el.querySelector('signature-pad')!;
    expect(note.nextElementSibling).to.equal(pad);
    expect(pad.note).to.equal('签名应为本人手写');
    expect(el.querySelector('photo-tool')!.note).to.equal('');
  });
});
