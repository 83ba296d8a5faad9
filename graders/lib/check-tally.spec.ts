import type { CheckRecorder } from '../grader-api';
import { CheckTally, fail, pass } from './check-tally';

function recorder() {
  const log: string[] = [];
  const checks: CheckRecorder = {
    pass: (id, message) => log.push(`pass ${id}${message ? `: ${message}` : ''}`),
    fail: (id, message) => log.push(`fail ${id}: ${message}`),
  };
  return { log, checks };
}

describe('tallying a check over several cases', () => {
  it('records the first failure at once, with its case, and ignores later verdicts for that check', () => {
    const { log, checks } = recorder();
    const tally = new CheckTally(checks);
    tally.record('order', pass(), 'case 1');
    tally.record('order', fail('result 0 is for b'), 'case 2');
    expect(log).toEqual(['fail order: case 2: result 0 is for b']);
    tally.record('order', fail('again'), 'case 3');
    tally.finish();
    expect(log).toEqual(['fail order: case 2: result 0 is for b']);
  });

  it('says whether a check has failed already, so a grader can skip work that cannot change it', () => {
    const tally = new CheckTally(recorder().checks);
    tally.record('shutdown', pass());
    expect(tally.hasFailed('shutdown')).toBe(false);
    tally.skip('shutdown', 'the run never finished');
    expect(tally.hasFailed('shutdown')).toBe(false);
    tally.record('shutdown', fail('deadlock'));
    expect(tally.hasFailed('shutdown')).toBe(true);
    expect(tally.hasFailed('order')).toBe(false);
  });

  it('records a pass only at the end, joining the messages of the cases', () => {
    const { log, checks } = recorder();
    const tally = new CheckTally(checks);
    tally.record('time', pass('4.8x faster'), 'case 1');
    tally.record('time', pass('2.0x faster'), 'case 2');
    tally.record('once', pass());
    expect(log).toEqual([]);
    tally.finish();
    expect(log).toEqual(['pass time: case 1: 4.8x faster; case 2: 2.0x faster', 'pass once']);
  });

  it('fails a check that no case could judge, with the first reason, and ignores skips of a judged check', () => {
    const { log, checks } = recorder();
    const tally = new CheckTally(checks);
    tally.skip('balances', 'the run never finished', 'schedule 1 of 2');
    tally.skip('balances', 'again', 'schedule 2 of 2');
    tally.skip('overdraft', 'the run never finished', 'schedule 1 of 2');
    tally.record('overdraft', pass(), 'schedule 2 of 2');
    tally.finish();
    expect(log).toEqual([
      'pass overdraft',
      'fail balances: could not be judged: schedule 1 of 2: the run never finished',
    ]);
  });
});
