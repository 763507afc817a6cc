import { expect } from 'chai';
import { clearPendingIdentity, loadPendingIdentity, savePendingIdentity } from './pending-identity.ts';

describe('pending-identity', () => {
  afterEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it('round-trips name and ID number through sessionStorage only', () => {
    expect(loadPendingIdentity()).to.equal(undefined);
    savePendingIdentity({ name: '李明', idNumber: '11010119900307002X' });
    expect(loadPendingIdentity()).to.deep.equal({ name: '李明', idNumber: '11010119900307002X' });
    expect(sessionStorage.length).to.equal(1);
    expect(localStorage.length, 'never kept beyond the tab').to.equal(0);
  });

  it('forgets the identity when cleared', () => {
    savePendingIdentity({ name: '李明', idNumber: '11010119900307002X' });
    clearPendingIdentity();
    expect(loadPendingIdentity()).to.equal(undefined);
  });

  it('ignores a damaged stored value', () => {
    savePendingIdentity({ name: '李明', idNumber: '11010119900307002X' });
    const key = sessionStorage.key(0)!;
    sessionStorage.setItem(key, '{not json');
    expect(loadPendingIdentity()).to.equal(undefined);
    sessionStorage.setItem(key, JSON.stringify({ name: 42, idNumber: '1' }));
    expect(loadPendingIdentity()).to.equal(undefined);
  });
});
