import { expect } from 'chai';
import type { DirectoryEnterprise } from './enterprise-cache.ts';
import { DirectoryUnavailableError, matchTypedEnterprise, searchEnterpriseDirectory } from './enterprise-match.ts';

const ACME: DirectoryEnterprise = {
  uscc: '91110000100000000X',
  name: '北京示例（集团）工程监理有限公司',
  legalRepresentative: '张三',
  province: '北京市',
  city: '海淀区',
};
const ACME_BRANCH: DirectoryEnterprise = { ...ACME, uscc: '91110000100000001X', name: '北京示例（集团）工程监理有限公司分公司' };

describe('enterprise-match', () => {
  it('finds the one enterprise whose name is the typed one, however it was spelled', async () => {
    const asked: string[] = [];
    const search = async (keyword: string) => {
      asked.push(keyword);
      return [ACME_BRANCH, ACME];
    };
    expect(await matchTypedEnterprise(' 北京示例(集团)工程监理 有限公司', search)).to.deep.equal(ACME);
    expect(asked, 'asks with the normalised text').to.deep.equal(['北京示例(集团)工程监理有限公司']);
  });

  it('matches a typed USCC too', async () => {
    expect(await matchTypedEnterprise('91110000100000000x', async () => [ACME])).to.deep.equal(ACME);
  });

  it('gives undefined when no name is equal (a part of a name is not enough) or several are', async () => {
    expect(await matchTypedEnterprise('北京示例', async () => [ACME, ACME_BRANCH])).to.equal(undefined);
    const twin = { ...ACME, uscc: '91110000100000002X' };
    expect(await matchTypedEnterprise(ACME.name, async () => [ACME, twin])).to.equal(undefined);
    expect(await matchTypedEnterprise('   ', async () => [ACME])).to.equal(undefined);
  });

  it('rejects when the directory cannot be asked', async () => {
    // No server in the element tests: /api/enterprises answers 404.
    let error: unknown;
    await searchEnterpriseDirectory('示例').catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(DirectoryUnavailableError);
    expect((error as DirectoryUnavailableError).offline).to.equal(false);
  });
});
