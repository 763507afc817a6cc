import { expect } from 'chai';
import { afterFirstScreen } from './after-first-screen.ts';

describe('afterFirstScreen', () => {
  it('runs the jobs once a frame has been painted, in the order asked, each in a task of its own', async () => {
    const seen: string[] = [];
    let framed = false;
    requestAnimationFrame(() => {
      framed = true;
    });
    const first = afterFirstScreen(() => {
      seen.push(`first after a frame: ${framed}`);
      // A task queued by this job runs before the next job: the next one is in a later task.
      setTimeout(() => seen.push('task queued by the first'), 0);
      return 1;
    });
    const second = afterFirstScreen(() => {
      seen.push('second');
      return 2;
    });
    seen.push('asked');
    expect(await Promise.all([first, second])).to.deep.equal([1, 2]);
    expect(seen).to.deep.equal(['asked', 'first after a frame: true', 'task queued by the first', 'second']);
  });

  it('settles with what the job promised; a job that fails does not stop the ones after it', async () => {
    const failed = afterFirstScreen(() => {
      throw new Error('boom');
    });
    const refused = afterFirstScreen(() => Promise.reject(new Error('later')));
    const after = afterFirstScreen(() => Promise.resolve('still runs'));
    expect(await failed.then(() => 'resolved', (error: Error) => error.message)).to.equal('boom');
    expect(await refused.then(() => 'resolved', (error: Error) => error.message)).to.equal('later');
    expect(await after).to.equal('still runs');
  });
});
