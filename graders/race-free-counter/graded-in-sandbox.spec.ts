/**
 * The reference solution and every known-bad variant graded through the real sandbox (SandboxPool
 * -> sandbox process -> the compiled grader in dist/; run `npm run build` first). Where
 * test/exercises.spec.ts checks which checks fail, this checks that each failure message carries
 * the evidence a student needs: counts, threads, runs, the cell a thread sleeps on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../../src/grading/grade-report';
import { SandboxPool } from '../../src/sandbox/sandbox-pool';

const EXERCISE_DIR = join(__dirname, '..', '..', 'exercises', 'race-free-counter');
const SEED = 'messages-1';

/** Which controlled run, with its strategy and schedule: what a failure found by the scheduler names. */
const RUN = String.raw`controlled run \d+ of 150 \((random|PCT depth [23]), schedule [0-9a-f]{8}\)`;
/** A lost update or two holders, found by the controlled runs, with the steps that made it. */
const CONTROLLED_EXCLUSION = new RegExp(
  String.raw`^(lost [\d,]+ of [\d,]+ increments with 3 threads on ${RUN}: (thread \d (read|wrote) c\[0\] = \d+; )+thread \d wrote c\[0\] = \d+` +
    String.raw`|thread \d got the lock while another thread held it on ${RUN}\. Last steps: .+)$`,
);
const controlledDeadlock = (expected: number) =>
  new RegExp(
    String.raw`^deadlock on ${RUN}: no thread could move: thread \d still blocked in lock\(\): waits on state\[\d\] == ${expected}, now 0 — nobody woke it \(lost wake-up\)`,
  );

const CONTROLLED_EXCLUSION_FAILURE = new RegExp(`^failed: ${CONTROLLED_EXCLUSION.source.slice(1)}`);

/** For each known-bad file: the message each named check must fail with. */
const EXPECTED_MESSAGES: Record<string, Record<string, RegExp>> = {
  'no-op-lock.ts': {
    exclusion: CONTROLLED_EXCLUSION,
    'increment-decrement':
      /^the counter ended at -?[\d,]+ (instead of 0 after each thread added 1 and subtracted 1 in turn \([\d,]+ updates in all\)|as it should, but only by luck: a thread got into the critical section while another was still inside [\d,]+ times) with 4 threads on run [12] of 2/,
  },
  'lock-state-in-a-field.ts': {
    exclusion: CONTROLLED_EXCLUSION,
  },
  'check-then-set.ts': {
    exclusion: CONTROLLED_EXCLUSION,
  },
  'spin-lock.ts': {
    'waiters-sleep':
      /^thread [23] spent [\d,]+ ms in lock\(\) while thread 1 held the lock and used about [\d,]+ ms of CPU there \(at most 99 ms allowed\): a waiting thread must sleep in Atomics\.wait, not spin/,
  },
  'waits-for-the-wrong-value.ts': {
    'waiters-sleep':
      /^thread [23] returned from Atomics\.wait [\d,]+ times while thread 1 held the lock for 300 ms: Atomics\.wait returns at once \("not-equal"\)/,
  },
  'index-ignored.ts': {
    'independent-indexes':
      /^thread 2's lock\(\) on the mutex at index (\d) did not return while thread 1 held the mutex at index \d \(deadlock after [\d,]+ ms\): it waits on state\[0\] == 1, still 1(, a cell that is not state\[\1\])?; a Mutex must use state\[index\] only$/,
  },
  'unlock-never-wakes.ts': {
    'finishes-in-time': controlledDeadlock(1),
  },
  'lost-wake-up.ts': {
    'finishes-in-time': controlledDeadlock(2),
  },
};

const badFiles = readdirSync(join(EXERCISE_DIR, 'bad'))
  .filter((file) => file.endsWith('.ts'))
  .sort();

function checkMessages(report: GradeReport): Record<string, string> {
  return Object.fromEntries(
    report.checks.map((check) => [check.id, `${check.status}: ${check.message ?? ''}`]),
  );
}

describe('race-free-counter graded in the sandbox', () => {
  const pool = new SandboxPool({ size: 1 });
  afterAll(() => pool.close());

  it('names an expected message for every known-bad variant', () => {
    expect(Object.keys(EXPECTED_MESSAGES).sort()).toEqual(badFiles);
  });

  it('passes the reference solution on every check, with what it measured', async () => {
    const code = readFileSync(join(EXERCISE_DIR, 'solution.ts'), 'utf8');
    const report = await pool.grade({ exercise: 'race-free-counter', code, seed: SEED });
    expect({ status: report.status, score: report.score }).toEqual({
      status: 'passed',
      score: report.maxScore,
    });
    const messages = checkMessages(report);
    expect(messages.exclusion).toMatch(
      /^passed: 150 controlled runs \(1,350 increments\) exact; [\d,]+ increments in 6 runs with 2, 4, 8 threads, none lost;/,
    );
    expect(messages['waiters-sleep']).toMatch(/^passed: waiting threads used at most \d+ ms of CPU each/);
    expect(messages['finishes-in-time']).toMatch(
      /^passed: all \d+ runs finished; the longest took [\d,]+ ms$/,
    );
  });

  it('replays a controlled counterexample exactly from the seed: the same run, schedule and steps', async () => {
    const code = readFileSync(join(EXERCISE_DIR, 'bad', 'check-then-set.ts'), 'utf8');
    const first = await pool.grade({ exercise: 'race-free-counter', code, seed: 'replay-me' });
    const again = await pool.grade({ exercise: 'race-free-counter', code, seed: 'replay-me' });
    const exclusion = (report: GradeReport) => checkMessages(report).exclusion;
    expect(exclusion(first)).toMatch(CONTROLLED_EXCLUSION_FAILURE);
    expect(exclusion(again)).toBe(exclusion(first));
    expect(first.replay).toBe('npx lockstep grade --exercise race-free-counter solution.ts --seed replay-me');
  });

  it.each(badFiles)('fails %s with the evidence in the message', async (file) => {
    const code = readFileSync(join(EXERCISE_DIR, 'bad', file), 'utf8');
    const report = await pool.grade({ exercise: 'race-free-counter', code, seed: SEED });
    expect(report.status).toBe('failed');
    const messages = checkMessages(report);
    for (const [checkId, pattern] of Object.entries(EXPECTED_MESSAGES[file] ?? {})) {
      expect({ checkId, message: messages[checkId] }).toEqual({
        checkId,
        message: expect.stringMatching(new RegExp(`^failed: ${pattern.source.replace(/^\^/, '')}`)),
      });
    }
  });
});
