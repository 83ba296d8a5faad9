/**
 * The producer-consumer grader end to end through the real sandbox (SandboxPool -> sandbox process
 * -> dist/graders -> real threads; `npm run build` first): the reference passes with evidence in its
 * messages, and each known-bad variant fails the checks its first line names with messages that
 * carry the evidence a student needs. test/exercises.spec.ts checks statuses on more seeds.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GradeReport } from '../../src/grading/grade-report';
import { SandboxPool } from '../../src/sandbox/sandbox-pool';
import { expectedFailures } from '../lib/testing/in-process-grading';

const EXERCISE_DIR = resolve(__dirname, '../../exercises/producer-consumer');

/** A failure found by the controlled runs names the run, its strategy and its schedule. */
const CONTROLLED_RUN =
  /on \d producers, \d consumers?, capacity \d, \d items, controlled run \d+ of 60 \((random|PCT depth 3), schedule [0-9a-f]{8}\)/;
const DELIVERY =
  /producer \d's item \d \(-?\d+\) was consumed twice|items? put but never consumed, e\.g\. producer \d's item \d|which no producer put/;
const SHUTDOWN_DEADLOCK =
  /^deadlock after close\(\) returned on .+: no thread could move: consumer \d still in consume\(\) sleeps on queue\[\d+\]/;

/** What each variant's failure messages must show, per check it fails. */
const EVIDENCE: Record<string, Record<string, RegExp[]>> = {
  'unsynchronised-head-tail.ts': {
    'exactly-once': [DELIVERY, CONTROLLED_RUN],
  },
  'get-not-woken-by-close.ts': {
    'shutdown-in-time': [SHUTDOWN_DEADLOCK, CONTROLLED_RUN],
  },
  'consumer-polls-closed-flag.ts': {
    'shutdown-in-time': [SHUTDOWN_DEADLOCK, CONTROLLED_RUN],
  },
  'get-gives-up-when-empty.ts': {
    'exactly-once': [/lost [\d,]+ of [\d,]+ items/, /returned from consume\(\) before close\(\) was called/],
    'shutdown-in-time': [/returned from consume\(\) before close\(\) was called|still blocked in put\(\)/],
  },
  'close-drops-queued-items.ts': {
    'exactly-once': [DELIVERY, CONTROLLED_RUN],
  },
  'no-capacity-check.ts': {
    capacity: [/capacity \d+/, /completed [\d,]+ put\(\) calls|held more than its capacity/],
    'exactly-once': [DELIVERY, CONTROLLED_RUN],
  },
  'busy-waiting.ts': {
    'sleep-not-spin': [
      /waited [\d,]+ ms on an? (empty|full) queue/,
      /used [\d,]+ ms \([\d,]+ Atomics\.wait calls?\)/,
    ],
  },
  'lifo-stack.ts': {
    'fifo-per-producer': [
      /producer \d+'s items came out of order/,
      /a queue hands out the oldest item first/,
    ],
  },
};

describe('producer-consumer graded through the sandbox', () => {
  // Only this exercise in the catalog, so folders other engineers are still writing cannot break it.
  const exercisesDir = mkdtempSync(join(tmpdir(), 'producer-consumer-'));
  symlinkSync(EXERCISE_DIR, join(exercisesDir, 'producer-consumer'));
  const pool = new SandboxPool({ size: 1, exercisesDir, logOsLimits: () => undefined });
  afterAll(async () => {
    await pool.close();
    rmSync(exercisesDir, { recursive: true, force: true });
  });

  const grade = (code: string): Promise<GradeReport> =>
    pool.grade({ exercise: 'producer-consumer', code, seed: 'sandbox-spec' });

  it('passes the reference solution, with the evidence in each message', async () => {
    const report = await grade(readFileSync(join(EXERCISE_DIR, 'solution.ts'), 'utf8'));
    expect(report.status).toBe('passed');
    const message = (id: string) => report.checks.find((check) => check.id === id)?.message ?? '';
    expect(message('exactly-once')).toMatch(
      /run 2 of 8 \(2 producers, 3 consumers, capacity 32\): [\d,]+ items, each consumed once/,
    );
    expect(message('capacity')).toMatch(/put\(\) blocked once 4 items were queued; size\(\) said 4/);
    expect(message('shutdown-in-time')).toMatch(/every blocked put\(\) threw within [\d,]+ ms of close\(\)/);
    expect(message('sleep-not-spin')).toMatch(
      /consumers used at most [\d,]+ ms of CPU while they waited [\d,]+ ms on an empty queue/,
    );
  });

  it.each(Object.keys(EVIDENCE))('fails bad/%s with the evidence in its messages', async (file) => {
    const code = readFileSync(join(EXERCISE_DIR, 'bad', file), 'utf8');
    const expectFail = expectedFailures(code);
    expect(Object.keys(EVIDENCE[file]).sort()).toEqual([...expectFail].sort());
    const report = await grade(code);
    expect(report.status).toBe('failed');
    for (const checkId of expectFail) {
      const check = report.checks.find((candidate) => candidate.id === checkId);
      expect({ checkId, status: check?.status }).toEqual({ checkId, status: 'failed' });
      for (const evidence of EVIDENCE[file][checkId]) expect(check?.message).toMatch(evidence);
    }
  });
});
