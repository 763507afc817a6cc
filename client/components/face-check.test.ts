import { expect } from 'chai';
import type { FaceVerificationPass } from '../../shared/api/face-verifications.ts';
import type { ApiAnswer } from '../net/api-client.ts';
import { waitFor } from '../test-support/elements.ts';
import { button, mount } from '../test-support/form-controls.ts';
import { type FaceCheckSend, CONSENT_TEXT } from './face-check.ts';

const PASS: FaceVerificationPass = { result: 'pass', reference: 'dev-1', verifiedAt: '2030-01-01T00:00:00.000Z', provider: 'development' };

/** Consent, camera, 开始识别: what is sent, and what the check then does with the answer. */
async function captureWith(answer: ApiAnswer<FaceVerificationPass>) {
  const sent: { consent: string; image: File }[] = [];
  const send: FaceCheckSend = async (form) => {
    sent.push(form);
    return answer;
  };
  const el = await mount('face-check', (check) => {
    check.send = send;
  });
  const root = el.shadowRoot!;
  expect(root.textContent).to.contain(CONSENT_TEXT);
  (root.getElementById('consent') as HTMLInputElement).click();
  await el.updateComplete;
  button(root, '下一步')!.click();
  const start = await waitFor(() => {
    const b = button(root, '开始识别');
    return b && !b.disabled ? b : undefined;
  });
  start.click();
  await waitFor(() => sent.length > 0 && !el.sending);
  await el.updateComplete;
  return { el, root, sent };
}

describe('face-check', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('sends one consented JPEG frame, fires face-passed with the pass and releases the camera', async () => {
    let passed: FaceVerificationPass | undefined;
    document.body.addEventListener('face-passed', (e) => {
      passed = e.detail;
    });
    const { root, sent } = await captureWith({ ok: true, status: 200, data: PASS });
    expect(sent).to.have.length(1);
    expect(sent[0]!.consent).to.equal('yes');
    expect(sent[0]!.image.type).to.equal('image/jpeg');
    expect(sent[0]!.image.size).to.be.greaterThan(0);
    expect(passed).to.deep.equal(PASS);
    expect(root.querySelector('video')?.srcObject ?? null, 'camera released').to.equal(null);
  });

  it("shows the server's words when the face does not pass, and keeps the camera for another try", async () => {
    const { root } = await captureWith({ ok: false, status: 422, error: '人脸识别未通过，请重试', issues: [], offline: false });
    expect(root.querySelector('[role="alert"]')?.textContent).to.equal('人脸识别未通过，请重试');
    expect(root.querySelector('video')?.srcObject).to.be.instanceOf(MediaStream);
    expect(root.activeElement?.id).to.equal('capture');
  });

  it('fires face-unauthorized on a 401', async () => {
    let unauthorized = false;
    document.body.addEventListener('face-unauthorized', () => {
      unauthorized = true;
    });
    await captureWith({ ok: false, status: 401, error: '请先登录', issues: [], offline: false });
    expect(unauthorized).to.equal(true);
  });
});
