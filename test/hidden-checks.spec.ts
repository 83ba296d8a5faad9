/**
 * Hidden checks keep their inputs to staff, through the real pipeline (SandboxPool -> sandbox
 * processes -> compiled graders; `npm test` builds first): every grader runs its hidden check's runs
 * inside the context's hidden scope, so what they print, a fatal outcome among them and how the
 * check failed are tagged in the stored report, and the student view (reportForStudent) drops them.
 */
import { LEAKY_FETCH_ALL } from './fixtures/leaky-fetch-all';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseProducerConsumerSettings } from '../graders/producer-consumer/producer-consumer-settings';
import { drawHiddenShape, visibleCapacities } from '../graders/producer-consumer/queue-runs';
import type { GradeReport } from '../src/grading/grade-report';
import { seededRandom } from '../src/grading/seeded-random';
import { SandboxPool } from '../src/sandbox/sandbox-pool';
import { reportForStudent } from '../src/submissions/student-report';

const EXERCISES_DIR = resolve(__dirname, '..', 'exercises');

interface Manifest {
  checks: { id: string; hidden: boolean }[];
  settings: unknown;
}

const manifestOf = (slug: string) =>
  JSON.parse(readFileSync(join(EXERCISES_DIR, slug, 'exercise.json'), 'utf8')) as Manifest;
const solutionOf = (slug: string) => readFileSync(join(EXERCISES_DIR, slug, 'solution.ts'), 'utf8');

const withHiddenChecks = readdirSync(EXERCISES_DIR)
  .filter((slug) => existsSync(join(EXERCISES_DIR, slug, 'exercise.json')))
  .filter((slug) => manifestOf(slug).checks.some((check) => check.hidden))
  .sort();

function hiddenLines(report: GradeReport): string[] {
  return (report.hiddenConsole ?? []).flatMap((range) => report.console!.slice(range.start, range.end));
}

describe('hidden checks through the sandbox', () => {
  const pool = new SandboxPool({ size: 2, logOsLimits: () => undefined, logDedicatedCores: () => undefined });
  afterAll(() => pool.close());

  it('has hidden checks in nine of the ten exercises (parallel-primes has none)', () => {
    expect(withHiddenChecks).toHaveLength(9);
  });

  // The module body runs in every isolate a run starts: it prints in the hidden check's runs too.
  it.each(withHiddenChecks)(
    '%s: the lines its hidden check prints are tagged, and students do not get them',
    async (slug) => {
      const code = `${solutionOf(slug)}\nconsole.log('module loaded');\n`;
      const report = await pool.grade({ exercise: slug, code, seed: '1' });
      expect(report.status).toBe('passed');
      const hiddenIds = manifestOf(slug)
        .checks.filter((check) => check.hidden)
        .map((check) => check.id);
      const ranges = report.hiddenConsole ?? [];
      expect(ranges.length).toBeGreaterThan(0);
      for (const range of ranges) expect(hiddenIds).toContain(range.check);
      // Every grader runs its hidden check last: the last line printed is the hidden check's.
      const last = report.console!.length - 1;
      expect(ranges.some((range) => range.start <= last && last < range.end)).toBe(true);
      const shown = reportForStudent(report);
      expect(shown.console).toHaveLength(report.console!.length - hiddenLines(report).length);
      expect(shown.console!.length).toBeGreaterThan(0);
      expect(shown).not.toHaveProperty('hiddenConsole');
    },
  );

  it('fetch-all: the hidden urls a submission logs, and a throw only the hidden case causes, are staff-only', async () => {
    const code = LEAKY_FETCH_ALL;
    const report = await pool.grade({ exercise: 'fetch-all', code, seed: '1' });
    expect(report.status).toBe('runtime_error');
    expect(report.error).toMatchObject({
      message: expect.stringMatching(
        /^uncaught exception in a callback: Error: SECRET https:\/\/hidden\.test\/7/,
      ),
      location: { line: 5, column: expect.any(Number) },
      hiddenCheck: 'large-random',
    });
    expect(report.checks.find((check) => check.id === 'large-random')).toMatchObject({
      status: 'skipped',
      failureKind: 'runtime_error',
    });
    expect(hiddenLines(report)).toEqual([
      'fetching 40 urls',
      expect.stringMatching(/^HIDDEN INPUT: https:\/\/hidden\.test\/0 /),
    ]);

    const shown = reportForStudent(report);
    expect(JSON.stringify(shown)).not.toMatch(/hidden\.test|SECRET|40 urls/);
    expect(shown.error).toEqual({
      message:
        'grading ended during the hidden check large-random (runtime error); what happened in it is shown to staff only',
      hiddenCheck: 'large-random',
    });
    expect(shown.console).toContain('fetching 6 urls');
    // Status, scores and check statuses are the stored ones.
    expect({ ...shown, checks: shown.checks.map((check) => check.status) }).toMatchObject({
      status: report.status,
      score: report.score,
      checks: report.checks.map((check) => check.status),
    });
  });

  it('race-free-counter: a memory bomb only the hidden runs set off ends grading, tagged with the hidden check', async () => {
    const code = solutionOf('race-free-counter')
      .replace('this.index = index;', "this.index = index;\n    console.log('mutex at index ' + index);")
      .replace(
        'const { state, index } = this;\n    let seen',
        // Only the hidden check's controlled runs take the lock a fourth time at an index other than 0.
        'const { state, index } = this;\n    if (++this.calls === 4 && index !== 0) { const kept: ArrayBuffer[] = []; for (;;) kept.push(new ArrayBuffer(1 << 24)); }\n    let seen',
      )
      .replace('private readonly index: number;', 'private readonly index: number;\n  private calls = 0;');
    const report = await pool.grade({ exercise: 'race-free-counter', code, seed: '1' });
    expect(report.status).toBe('memory_limit');
    expect(report.error?.hiddenCheck).toBe('large-random');
    expect(report.checks.filter((check) => check.status === 'passed')).toHaveLength(5);
    expect(hiddenLines(report).length).toBeGreaterThan(0);
    for (const line of hiddenLines(report)) expect(line).toMatch(/^mutex at index [1-9]\d*$/);

    const shown = reportForStudent(report);
    expect(shown.error?.message).toBe(
      'grading ended during the hidden check large-random (memory limit); what happened in it is shown to staff only',
    );
    expect(shown.console).toHaveLength(report.console!.length - hiddenLines(report).length);
    expect(shown.checks.find((check) => check.id === 'large-random')?.message).toBe(
      'grading ended in this hidden check (memory limit)',
    );
  });

  it('producer-consumer: byteLength() for the hidden capacity runs inside the hidden check', async () => {
    const settings = parseProducerConsumerSettings(manifestOf('producer-consumer').settings);
    const visible = visibleCapacities(settings);
    // A seed whose hidden run has a capacity no visible run has, so that only it can tell.
    const seed = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].find(
      (candidate) =>
        !visible.includes(drawHiddenShape(settings, seededRandom(candidate, 'hidden-shape')).capacity),
    )!;
    const hidden = drawHiddenShape(settings, seededRandom(seed, 'hidden-shape')).capacity;
    const code = solutionOf('producer-consumer').replace(
      'static byteLength(capacity: number): number {',
      `static byteLength(capacity: number): number {
    console.log('byteLength(' + capacity + ')');
    if (!${JSON.stringify(visible)}.includes(capacity)) throw new Error('HIDDEN CAPACITY ' + capacity);`,
    );
    const report = await pool.grade({ exercise: 'producer-consumer', code, seed });
    expect(report.status).toBe('failed');
    expect(report.checks.every((check) => check.status === 'failed')).toBe(true);
    const hiddenCheck = report.checks.find((check) => check.hidden)!;
    expect(hiddenCheck.message).toContain(`HIDDEN CAPACITY ${hidden}`);
    expect(hiddenCheck.failureKind).toBe('wrong_result');
    for (const check of report.checks.filter((c) => !c.hidden))
      expect(check.message).toMatch(
        /^BoundedQueue.byteLength\(\) gave no usable size for the capacity the hidden check uses/,
      );
    expect(hiddenLines(report)).toEqual([`byteLength(${hidden})`]);

    const shown = reportForStudent(report);
    expect(JSON.stringify(shown)).not.toMatch(new RegExp(`HIDDEN CAPACITY|byteLength\\(${hidden}\\)`));
    expect(shown.console).toEqual(visible.map((capacity) => `byteLength(${capacity})`));
  });
});
