import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { usccCheckChar } from '../../shared/uscc.ts';
import { openDatabase, type Storage } from '../db/database.ts';
import type { Enterprise } from '../../shared/enterprise.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { enterpriseRoutes } from './enterprise-routes.ts';

function enterprise(name: string, first17: string, province = '山东省', city = '济南市'): Enterprise {
  return { uscc: first17 + usccCheckChar(first17), name, legalRepresentative: '张三', province, city };
}

const quancheng = enterprise('济南泉城建设工程监理有限公司', '91370102MA0000001');
const abc = enterprise('广州ABC工程咨询（集团）有限公司', '91440106MA0000002', '广东省', '广州市');
const others = Array.from({ length: 60 }, (_, i) =>
  enterprise(`批量监理第${i}号有限公司`, `915101${String(i).padStart(2, '0')}MB0000000`, '四川省', '成都市'),
);

describe('GET /api/enterprises', () => {
  let dataDir: string;
  let storage: Storage;
  let app: Hono;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'enterprise-routes-'));
    storage = await openDatabase({ dataDir });
    await upsertEnterprises(storage.db, [quancheng, abc, ...others]);
    app = new Hono().route('/api/enterprises', enterpriseRoutes(storage));
  });
  after(async () => {
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function search(q: string | undefined, limit?: string) {
    const params = new URLSearchParams();
    if (q !== undefined) params.set('q', q);
    if (limit !== undefined) params.set('limit', limit);
    const res = await app.request(`/api/enterprises?${params}`);
    return { res, body: (await res.json()) as { enterprises?: Enterprise[]; error?: string } };
  }

  it('finds by a fragment of the name, with the fields the form fills in', async () => {
    const { res, body } = await search('泉城建设');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'private, max-age=300');
    assert.deepEqual(body, { enterprises: [quancheng] });
  });

  it('finds by USCC prefix', async () => {
    const { body } = await search(abc.uscc.slice(0, 12));
    assert.deepEqual(
      body.enterprises?.map((e) => e.uscc),
      [abc.uscc],
    );
  });

  it('tolerates full-width characters and spaces', async () => {
    const { body } = await search('  ａｂｃ 工程　咨询（集团） ');
    assert.deepEqual(
      body.enterprises?.map((e) => e.name),
      [abc.name],
    );
    const fullWidthUscc = [...abc.uscc.slice(0, 8).toLowerCase()].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    assert.deepEqual(
      (await search(fullWidthUscc.join(' '))).body.enterprises?.map((e) => e.uscc),
      [abc.uscc],
    );
  });

  it('answers an empty list when nothing matches', async () => {
    const { res, body } = await search('不存在的企业');
    assert.equal(res.status, 200);
    assert.deepEqual(body, { enterprises: [] });
  });

  it('limits the list: 10 by default, up to 50', async () => {
    assert.equal((await search('批量监理')).body.enterprises?.length, 10);
    assert.equal((await search('批量监理', '50')).body.enterprises?.length, 50);
    for (const bad of ['0', '51', 'x', '2.5']) {
      assert.equal((await search('批量监理', bad)).res.status, 400, bad);
    }
  });

  it('refuses a missing, blank or over-long keyword', async () => {
    for (const q of [undefined, '', '   ', '　', '监'.repeat(51)]) {
      const { res, body } = await search(q);
      assert.equal(res.status, 400, String(q));
      assert.deepEqual(body, { error: '请输入企业名称关键字' });
      assert.equal(res.headers.get('cache-control'), null);
    }
    assert.equal((await search('监'.repeat(50))).res.status, 200);
  });

  it('treats LIKE wildcards as plain text', async () => {
    assert.deepEqual((await search('%')).body, { enterprises: [] });
    assert.deepEqual((await search('_')).body, { enterprises: [] });
  });

  it('GET /:uscc answers one enterprise or 404', async () => {
    const res = await app.request(`/api/enterprises/${quancheng.uscc.toLowerCase()}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'private, max-age=300');
    assert.deepEqual(await res.json(), quancheng);

    for (const missing of [enterprise('无', '91110105MA0000009').uscc, 'not-a-uscc']) {
      const notFound = await app.request(`/api/enterprises/${missing}`);
      assert.equal(notFound.status, 404);
      assert.deepEqual(await notFound.json(), { error: '未找到该企业' });
    }
  });
});
