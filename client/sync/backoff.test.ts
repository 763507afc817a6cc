import { expect } from 'chai';
import { backoffDelay, OUTBOX_BACKOFF } from './backoff.ts';

describe('backoff', () => {
  const top = () => 0.999_999;

  it('grows exponentially from 2 s by a factor of 2 up to the 5 minute cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((failures) => backoffDelay(failures, () => 1));
    expect(ceilings).to.deep.equal([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
    expect(backoffDelay(1_000, () => 1)).to.equal(OUTBOX_BACKOFF.capMs);
  });

  it('draws the delay with random() (full jitter): scaled by the draw, 0 for a draw of 0', () => {
    expect(backoffDelay(3, () => 0)).to.equal(0);
    expect(backoffDelay(3, () => 0.25)).to.equal(2_000);
    expect(backoffDelay(3, () => 0.5)).to.equal(4_000);
    const draws: number[] = [];
    backoffDelay(2, () => {
      draws.push(1);
      return 0.1;
    });
    expect(draws).to.have.length(1);
  });

  it('stays within [0, cap] whatever random() returns or however many failures', () => {
    for (const failures of [0, 1, 2, 5, 20, 100, 1e9]) {
      for (const draw of [-1, 0, 0.3, top(), 1, 7, Number.NaN]) {
        const delay = backoffDelay(failures, () => draw);
        expect(delay, `${failures} failures, draw ${draw}`).to.be.within(0, OUTBOX_BACKOFF.capMs);
      }
    }
  });
});
