import { expect } from 'chai';
import * as v from 'valibot';
import { blobSha256 } from '../data/blob-sha256.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from '../test-support/fake-transport.ts';
import { browserTransport, NetClient, OFFLINE_MESSAGE, readAnswer, serverMessage, unavailableMessage } from './api-client.ts';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const ENTERPRISE = { uscc: '91110000100000000X', name: '示例工程监理有限公司', legalRepresentative: '张三', province: '北京市', city: '海淀区' };

function client(answer: (request: RecordedRequest) => FakeAnswer) {
  const requests: RecordedRequest[] = [];
  const net = new NetClient(
    fakeTransport((request) => {
      requests.push(request);
      return answer(request);
    }),
  );
  return { net, requests };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('readAnswer', () => {
  const schema = v.object({ id: v.string() });

  it('gives the parsed body of a 2xx that matches the schema', async () => {
    expect(await readAnswer(json(201, { id: 'a', extra: 1 }), schema)).to.deep.equal({ ok: true, status: 201, data: { id: 'a' } });
  });

  it("takes a 2xx that is not ours (a captive portal's page, an old server) for no answer", async () => {
    for (const response of [new Response('<html>登录 Wi-Fi</html>', { status: 200 }), json(200, { other: true })]) {
      expect(await readAnswer(response, schema)).to.deep.equal({ ok: false, status: 0, error: OFFLINE_MESSAGE, issues: [], offline: true });
    }
  });

  it("carries the server's message and field issues, or says the service is unavailable", async () => {
    const issues = [{ field: 'mobile', message: '手机号码格式不正确' }];
    const refused = await readAnswer(json(400, { error: '申请内容有误', issues }), schema);
    expect(refused).to.deep.equal({ ok: false, status: 400, error: '申请内容有误', issues, offline: false });
    const proxy = await readAnswer(new Response('<h1>Bad Gateway</h1>', { status: 502 }), schema);
    expect(proxy).to.deep.equal({ ok: false, status: 502, error: unavailableMessage(502), issues: [], offline: false });
    expect(proxy.ok === false && serverMessage(proxy)).to.equal(undefined);
    expect(refused.ok === false && serverMessage(refused)).to.equal('申请内容有误');
  });

  it('never throws: a failed request is no answer, with the offline message', async () => {
    const answer = await readAnswer(Promise.reject(new TypeError('Failed to fetch')), schema);
    expect(answer).to.deep.include({ ok: false, status: 0, offline: true, error: '网络连接失败，请检查网络后重试。已填写的内容不会丢失。' });
  });

  it('without a schema accepts an empty 2xx only', async () => {
    expect(await readAnswer(new Response(null, { status: 204 }), null)).to.deep.equal({ ok: true, status: 204, data: null });
    expect((await readAnswer(new Response('<html></html>', { status: 200 }), null)).status).to.equal(0);
  });
});

describe('NetClient', () => {
  async function attachment() {
    const blob = new Blob([JPEG], { type: '' });
    return { sha256: await blobSha256(blob), kind: 'photo' as const, blob };
  }

  it('ensureUploaded: HEAD first; a present attachment is not sent again', async () => {
    const photo = await attachment();
    const { net, requests } = client(() => ({ status: 200, body: null }));
    expect((await net.ensureUploaded(photo)).ok).to.equal(true);
    expect(requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`HEAD /api/attachments/${photo.sha256}?kind=photo`]);
  });

  it('ensureUploaded: a missing one is PUT with its type (a photo is a JPEG) and progress', async () => {
    const photo = await attachment();
    const progress: number[] = [];
    const { net, requests } = client((request) => {
      if (request.method === 'HEAD') return { status: 404, body: { error: '未找到该附件' } };
      request.onUploadProgress?.(JPEG.byteLength);
      return { status: 201, body: { id: photo.sha256, kind: 'photo', mime: 'image/jpeg', size: 9, width: 1, height: 1 } };
    });
    expect((await net.ensureUploaded(photo, (loaded) => progress.push(loaded))).ok).to.equal(true);
    const put = requests[1];
    expect(put?.method).to.equal('PUT');
    expect(put?.headers['content-type']).to.equal('image/jpeg');
    expect(put?.body).to.equal(photo.blob);
    expect(progress).to.deep.equal([JPEG.byteLength]);
  });

  it('ensureUploaded: a second call for the same bytes joins the upload under way, progress and all', async () => {
    const photo = await attachment();
    let stored = false;
    const { net, requests } = client((request) => {
      if (request.method === 'HEAD') return { status: stored ? 200 : 404, body: null };
      request.onUploadProgress?.(JPEG.byteLength);
      stored = true;
      return { status: 201, body: { id: photo.sha256, kind: 'photo', mime: 'image/jpeg', size: 9, width: 1, height: 1 } };
    });
    const seen: string[] = [];
    const answers = await Promise.all([
      net.ensureUploaded(photo, (loaded) => seen.push(`draft ${loaded}`)),
      net.ensureUploaded(photo, (loaded) => seen.push(`outbox ${loaded}`)),
    ]);
    expect(answers.map((a) => a.ok)).to.deep.equal([true, true]);
    expect(requests.map((r) => r.method)).to.deep.equal(['HEAD', 'PUT']);
    expect(seen.sort()).to.deep.equal([`draft ${JPEG.byteLength}`, `outbox ${JPEG.byteLength}`]);
    // Once it is done, a later call asks the server again.
    await net.ensureUploaded(photo);
    expect(requests.map((r) => r.method)).to.deep.equal(['HEAD', 'PUT', 'HEAD']);
  });

  it('ensureUploaded: the failing request answers (refused image, signed out, no network)', async () => {
    const photo = await attachment();
    const refused = client((r) => (r.method === 'HEAD' ? { status: 404, body: null } : { status: 415, body: { error: '仅支持 jpg、jpeg、png 格式的图片' } }));
    expect(await refused.net.ensureUploaded(photo)).to.deep.include({ ok: false, status: 415, error: '仅支持 jpg、jpeg、png 格式的图片' });
    const signedOut = client(() => ({ status: 401, body: { error: '请先登录' } }));
    expect(await signedOut.net.ensureUploaded(photo)).to.deep.include({ ok: false, status: 401 });
    expect(signedOut.requests).to.have.length(1);
    const offline = client(() => ({ status: 0, body: null }));
    expect(await offline.net.ensureUploaded(photo)).to.deep.include({ ok: false, status: 0, offline: true });
    // An answer naming other bytes is none of ours.
    const other = client((r) =>
      r.method === 'HEAD' ? { status: 404, body: null } : { status: 201, body: { id: 'f'.repeat(64), kind: 'photo', mime: 'image/jpeg', size: 1, width: 1, height: 1 } },
    );
    expect(await other.net.ensureUploaded(photo)).to.deep.include({ ok: false, status: 0 });
  });

  it("downloadAttachment: the server's image as a Blob; anything else is no answer", async () => {
    const image = new Blob([JPEG], { type: 'image/jpeg' });
    const { net, requests } = client(() => ({ status: 200, body: image }));
    const answer = await net.downloadAttachment('a'.repeat(64), 'signature');
    expect(answer.ok && [...new Uint8Array(await answer.data.arrayBuffer())]).to.deep.equal([...JPEG]);
    expect(requests[0]?.path).to.equal(`/api/attachments/${'a'.repeat(64)}?kind=signature`);
    const portal = client(() => ({ status: 200, body: new Blob(['<html></html>'], { type: 'text/html' }) }));
    expect((await portal.net.downloadAttachment('a'.repeat(64), 'photo')).status).to.equal(0);
  });

  it('searchEnterprises: asks the directory with the keyword and limit, answers its enterprises', async () => {
    const { net, requests } = client(() => ({ status: 200, body: { enterprises: [ENTERPRISE] } }));
    const answer = await net.searchEnterprises('示例 公司', { limit: 10 });
    expect(answer).to.deep.equal({ ok: true, status: 200, data: { enterprises: [ENTERPRISE] } });
    const url = new URL(requests[0]!.path, location.origin);
    expect(url.pathname).to.equal('/api/enterprises');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({ q: '示例 公司', limit: '10' });
  });
});

describe('browserTransport (the real network, to the test server: no /api here)', () => {
  const net = new NetClient(browserTransport);

  it('a GET that the server refuses is an answer, not "offline"', async () => {
    const answer = await net.searchEnterprises('示例');
    expect(answer).to.deep.include({ ok: false, offline: false });
    expect(answer.status).to.be.within(400, 599);
  });

  it('an upload goes through XMLHttpRequest and its refusal is an answer too', async () => {
    const blob = new Blob([JPEG], { type: 'image/jpeg' });
    const answer = await net.ensureUploaded({ sha256: await blobSha256(blob), kind: 'photo', blob });
    expect(answer).to.deep.include({ ok: false, offline: false });
    expect(answer.status).to.be.within(400, 599);
  });

  it('an aborted search is no answer', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await net.searchEnterprises('示例', { signal: controller.signal })).to.deep.include({ ok: false, status: 0, offline: true });
  });
});
