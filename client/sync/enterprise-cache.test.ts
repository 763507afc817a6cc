import { expect } from 'chai';
import { LocalDb } from '../data/local-db.ts';
import { type DirectoryEnterprise, ENTERPRISE_CACHE_MAX_ENTRIES, EnterpriseCache } from './enterprise-cache.ts';

const enterprise = (uscc: string, name: string): DirectoryEnterprise => ({
  uscc,
  name,
  legalRepresentative: '张三',
  province: '山东省',
  city: '济南市',
});
const JINAN = enterprise('91370100MA3C000000', '济南示例建设监理有限公司');
const BEIJING = enterprise('91110000100000000X', '北京示例工程监理有限公司');
const SHIYI = enterprise('91110000100000001X', '示例监理（北京）有限公司');

describe('enterprise-cache', () => {
  let name: string;
  let db: LocalDb;
  let time: number;

  beforeEach(() => {
    name = `enterprise-cache-test-${crypto.randomUUID()}`;
    db = new LocalDb(name);
    time = 1;
  });

  afterEach(async () => {
    db.close();
    await new LocalDb(name).delete();
  });

  const cache = () => new EnterpriseCache(() => db, () => time++);

  it('keeps each answer on the device under the normalised keyword, for the next session', async () => {
    await cache().put(' ａｂｃ 监理', [BEIJING]);
    expect((await db.enterpriseCache.get('ABC监理'))?.enterprises).to.deep.equal([BEIJING]);
    const next = cache();
    expect(next.recent('ABC监理'), 'not in this session’s memory').to.equal(undefined);
    expect(await next.get('abc监理')).to.deep.equal([BEIJING]);
    expect(await next.get('其他')).to.equal(undefined);
  });

  it('offline, answers a keyword never asked from the lists seen, as the server would', async () => {
    const first = cache();
    await first.put('示例', [SHIYI, BEIJING, JINAN]);
    await first.put('监理', [JINAN]);
    const offline = cache();
    expect(await offline.findOffline('北京')).to.deep.equal([BEIJING, SHIYI]);
    expect(await offline.findOffline('9137')).to.deep.equal([JINAN]);
    expect(await offline.findOffline('上海')).to.equal(undefined);
    expect(await offline.findOffline('')).to.equal(undefined);
    await first.put('上海', []);
    expect(await cache().findOffline('上海'), 'the server said none: that is known').to.deep.equal([]);
  });

  it(`keeps at most ${ENTERPRISE_CACHE_MAX_ENTRIES} keywords, dropping the oldest`, async () => {
    const c = cache();
    const rows = Array.from({ length: ENTERPRISE_CACHE_MAX_ENTRIES }, (_, i) => ({
      keyword: `K${i}`,
      enterprises: [],
      savedAt: i,
    }));
    await db.enterpriseCache.bulkPut(rows);
    time = 10_000;
    await c.put('新的', [JINAN]);
    expect(await db.enterpriseCache.count()).to.equal(ENTERPRISE_CACHE_MAX_ENTRIES);
    expect(await db.enterpriseCache.get('K0')).to.equal(undefined);
    expect(await db.enterpriseCache.get('K1')).to.not.equal(undefined);
    expect(await c.get('新的')).to.deep.equal([JINAN]);
  });

  it('clear() forgets everything, on the device too', async () => {
    const c = cache();
    await c.put('示例', [BEIJING]);
    await c.clear();
    expect(c.recent('示例')).to.equal(undefined);
    expect(await db.enterpriseCache.count()).to.equal(0);
  });
});
