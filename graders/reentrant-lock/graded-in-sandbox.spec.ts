import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../../src/grading/grade-report';
import { SandboxPool } from '../../src/sandbox/sandbox-pool';
import { describeMessagesInSandbox } from '../lib/testing/graded-in-sandbox';

const HOLD = 'with thread 1 holding the lock 3 deep for 200 ms and 2 threads waiting';
const ROUNDS = '3 threads, 2 rounds each nesting 1 to 3 deep';
/** "on controlled run 4 of 150 (random, schedule 0fa3c2d1)" */
const ON_RUN = (runs: number) =>
  String.raw`on controlled run \d+ of ${runs} \((random|PCT depth [23]), schedule [0-9a-f]{8}\)`;
const HOLDER = String.raw`\((nobody held it|thread \d held it \d deep)\)`;

describeMessagesInSandbox(
  'reentrant-lock',
  {
    'changes-count-before-owner-check.ts': {
      'release-not-held': new RegExp(
        String.raw`^release\(\) by thread \d, which did not hold the lock ${HOLDER}, threw as it should, but changed state\[\d\] from -?\d+ to -?\d+ first: ` +
          String.raw`a release\(\) that throws must change nothing, ${ON_RUN(100)}: thread \d calls release\(\), holding nothing; thread \d Atomics\.sub on state\[\d\]: .*; thread \d's release\(\) threw$`,
      ),
    },
    'check-then-set.ts': {
      'large-random': new RegExp(
        String.raw`^with [3-6] threads, 3 rounds each nesting 1 to 5 deep, the lock at index \d: thread \d's acquire\(\) returned while thread \d held the lock \d deep.*, ${ON_RUN(60)}: `,
      ),
      exclusion: new RegExp(
        String.raw`^thread \d's acquire\(\) returned while thread \d held the lock \d deep.*, ${ON_RUN(150)}: .*thread \d loaded state\[0\] = 0; .*thread \d stored state\[0\] = \d; .*thread \d's acquire\(\) returned: it holds the lock 1 deep$`,
      ),
    },
    'index-ignored.ts': {
      'independent-locks':
        /^thread 2's acquire\(\) on the lock at index \d+ did not return while thread 1 held the lock at index \d \(deadlock after [\d,]+ ms\): it waits on state\[0\] == 1, still 1; a ReentrantLock must use only its INTS cells from state\[index\] on$/,
    },
    'no-nesting-count.ts': {
      'nested-acquisition':
        /^thread 1 threw Error: release\(\) of a lock this thread does not hold \(line \d+\) in release\(\) \(holding the lock 1 deep\) while thread 1 acquires the lock 1 to 5 times in a row$/,
      exclusion: new RegExp(
        String.raw`^thread \d's acquire\(\) returned while thread \d held the lock 1 deep \(it had acquired it [23] times in a row and released it [12] times?\), ${ON_RUN(150)}: ` +
          String.raw`.*thread \d stored state\[0\] = 0; .*thread \d's release\(\) returned: it holds the lock 1 deep; .*thread \d's acquire\(\) returned: it holds the lock 1 deep$`,
      ),
    },
    'no-owner-check.ts': {
      'release-not-held': new RegExp(
        String.raw`^release\(\) by thread \d, which did not hold the lock ${HOLDER}, returned instead of throwing an Error.*, ${ON_RUN(100)}: thread \d calls release\(\), holding nothing; .*thread \d's release\(\) returned without throwing$`,
      ),
    },
    'plain-lock.ts': {
      'nested-acquisition': new RegExp(
        String.raw`^thread (\d)'s 2nd acquire\(\) in a row did not return although it already held the lock 1 deep \(deadlock ${ON_RUN(150)}\): ` +
          String.raw`.*thread \1 waits for itself \(state\[0\] = 1, set by itself\).*: a thread that waits for a change only it could make never wakes\. A thread that holds the lock must get it again at once\. Last steps: .*thread \1 calls acquire\(\) again, holding the lock 1 deep`,
      ),
      'finishes-in-time': new RegExp(
        String.raw`^deadlock after [\d,]+ ms ${HOLD}: thread 1 still blocked in its 2nd acquire\(\) in a row \(it already held the lock 1 time\): waits on state\[\d\] == 1, still 1`,
      ),
    },
    'reenters-without-checking-owner.ts': {
      exclusion: new RegExp(
        String.raw`^thread \d's acquire\(\) returned while thread \d held the lock \d deep.*, ${ON_RUN(150)}: .*thread \d Atomics\.add on state\[0\]: \d -> \d; .*thread \d's acquire\(\) returned: it holds the lock 1 deep$`,
      ),
    },
    'release-never-wakes.ts': {
      'finishes-in-time': new RegExp(
        String.raw`^deadlock ${ON_RUN(150)}: thread \d in acquire\(\) sleeps on state\[0\] until it is no longer \d \(it is 0\): nobody woke it \(a lost wake-up\).*Last steps: .*thread \d stored state\[0\] = 0`,
      ),
    },
    'spin-wait.ts': {
      'waiters-sleep':
        /^thread [23] used about [\d,]+ ms of CPU in acquire\(\) while thread 1 held the lock for 200 ms \(at most 66 ms allowed\): a waiting thread must sleep in Atomics\.wait, not spin/,
    },
  },
  {
    'nested-acquisition': new RegExp(
      String.raw`^150 controlled runs of ${ROUNDS}: every holder took the lock again at once and kept count; thread 1 acquired the lock 1 to 5 times in a row and released it as often`,
    ),
    exclusion: new RegExp(
      String.raw`^150 controlled runs of ${ROUNDS}: no acquire\(\) let a thread in while another held the lock; none of [\d,]+ updates lost in the runs that completed; ` +
        String.raw`[\d,]+ updates under the lock in \d+ runs with 2, 5 threads, none lost; no acquire\(\) returned while another thread held the lock at any level$`,
    ),
    'release-not-held':
      /^[\d,]+ release\(\) calls by threads holding nothing, in 100 controlled runs, threw and changed nothing; release\(\) by a thread that did not hold the lock threw/,
    'waiters-sleep':
      /^waiting threads used at most \d+ ms of CPU each while thread 1 held the lock for 200 ms$/,
    'finishes-in-time': /^all \d+ runs finished; the longest took [\d,]+ ms$/,
  },
);

/**
 * Other correct designs must pass on every seed: one cell for holder and depth, a fair ticket
 * lock, a lock that counts its sleepers (its cells change while other threads' release() calls
 * run, which the release-not-held judge must not blame on them), and one whose waiters sleep with
 * a timeout and keep the depth in a plain cell.
 */
describe('reentrant-lock: other correct designs and replays, graded in the sandbox', () => {
  const pool = new SandboxPool({ size: 1 });
  afterAll(() => pool.close());
  const failed = (report: GradeReport) =>
    Object.fromEntries(report.checks.filter((c) => c.status !== 'passed').map((c) => [c.id, c.message]));

  it.each(['packed-owner-and-depth.ts', 'ticket-lock.ts', 'counts-sleepers.ts', 'timed-waits.ts'])(
    'passes another correct design: %s',
    async (file) => {
      const code = readFileSync(join(__dirname, '__fixtures__', file), 'utf8');
      for (const seed of ['1', '2']) {
        const report = await pool.grade({ exercise: 'reentrant-lock', code, seed });
        expect({ seed, status: report.status, failed: failed(report) }).toEqual({
          seed,
          status: 'passed',
          failed: {},
        });
      }
    },
  );

  it('replays a controlled counterexample exactly from the seed: the same run, schedule and steps', async () => {
    const code = readFileSync(join(__dirname, '../../exercises/reentrant-lock/bad/plain-lock.ts'), 'utf8');
    const first = await pool.grade({ exercise: 'reentrant-lock', code, seed: 'replay-me' });
    const again = await pool.grade({ exercise: 'reentrant-lock', code, seed: 'replay-me' });
    const nested = (report: GradeReport) => failed(report)['nested-acquisition'];
    expect(nested(first)).toMatch(/waits for itself \(state\[0\] = 1, set by itself\)/);
    expect(nested(again)).toBe(nested(first));
  });
});
