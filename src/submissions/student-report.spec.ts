import type { CheckResult, GradeReport } from '../grading/grade-report';
import { reportForStudent } from './student-report';

const check = (
  id: string,
  status: CheckResult['status'],
  message: string,
  extra: Partial<CheckResult> = {},
) => ({
  id,
  name: id,
  status,
  score: status === 'passed' ? 2 : 0,
  maxScore: 2,
  message,
  hidden: false,
  ...extra,
});

const report = (parts: Partial<GradeReport>): GradeReport => ({
  exercise: 'fetch-all',
  status: 'failed',
  score: 2,
  maxScore: 6,
  checks: [],
  seed: 'abc',
  replay: 'npx lockstep grade --exercise fetch-all solution.ts --seed abc',
  durationMs: 120,
  graderVersion: '0.1.0+test',
  ...parts,
});

describe('reportForStudent', () => {
  it('shows a failed hidden check and how it failed, never its message; visible checks as stored', () => {
    const stored = report({
      checks: [
        check('results', 'failed', 'case 1 of 3: fetchAll rejected with "boom"'),
        check('order', 'passed', 'in order'),
        check('large-random', 'failed', '40 urls: fetchAll rejected with "SECRET https://hidden.test/7"', {
          hidden: true,
          failureKind: 'runtime_error',
        }),
      ],
    });
    const shown = reportForStudent(stored);
    expect(shown.checks).toEqual([
      stored.checks[0],
      stored.checks[1],
      { ...stored.checks[2], message: 'hidden check failed (runtime error)' },
    ]);
    expect(JSON.stringify(shown)).not.toContain('SECRET');
    expect({ status: shown.status, score: shown.score, maxScore: shown.maxScore }).toEqual({
      status: 'failed',
      score: 2,
      maxScore: 6,
    });
  });

  it('drops the console lines printed during hidden checks, and the ranges that name them', () => {
    const stored = report({
      console: ['visible 1', 'HIDDEN INPUT: https://hidden.test/0', 'HIDDEN 2', 'visible 2', 'HIDDEN 3'],
      hiddenConsole: [
        { check: 'large-random', start: 1, end: 3 },
        { check: 'large-random', start: 4, end: 5 },
      ],
    });
    const shown = reportForStudent(stored);
    expect(shown.console).toEqual(['visible 1', 'visible 2']);
    expect(shown).not.toHaveProperty('hiddenConsole');
    expect(stored.console).toHaveLength(5); // the stored report is not changed
  });

  it('leaves out the console when every line was printed during a hidden check', () => {
    const shown = reportForStudent(
      report({ console: ['HIDDEN 1'], hiddenConsole: [{ check: 'large-random', start: 0, end: 1 }] }),
    );
    expect(shown).not.toHaveProperty('console');
  });

  it('names the hidden check and the status when grading ended inside it, without the error or where', () => {
    const stored = report({
      status: 'runtime_error',
      checks: [
        check('results', 'passed', ''),
        check('large-random', 'skipped', '', { hidden: true, failureKind: 'runtime_error' }),
      ],
      error: {
        message: 'uncaught exception in a callback: Error: SECRET https://hidden.test/7',
        location: { line: 4, column: 30 },
        hiddenCheck: 'large-random',
      },
    });
    const shown = reportForStudent(stored);
    expect(shown.error).toEqual({
      message:
        'grading ended during the hidden check large-random (runtime error); what happened in it is shown to staff only',
      hiddenCheck: 'large-random',
    });
    expect(shown.checks[1]).toMatchObject({
      status: 'skipped',
      message: 'grading ended in this hidden check (runtime error)',
      failureKind: 'runtime_error',
    });
    expect(JSON.stringify(shown)).not.toMatch(/SECRET|"line"/);
  });

  it('keeps an error raised outside hidden checks as it is, with its location', () => {
    const error = { message: 'solution.ts threw while loading: Error: x', location: { line: 1, column: 7 } };
    expect(reportForStudent(report({ status: 'runtime_error', error })).error).toEqual(error);
  });

  it('says only "hidden check failed" for a report stored before failure kinds', () => {
    const shown = reportForStudent(
      report({ checks: [check('large-random', 'failed', 'the evidence', { hidden: true })] }),
    );
    expect(shown.checks[0].message).toBe('hidden check failed');
  });

  it('shows nothing of a hidden check that passed or was never reached', () => {
    const shown = reportForStudent(
      report({
        checks: [
          check('large-random', 'passed', 'a summary', { hidden: true }),
          check('other-hidden', 'skipped', '', { hidden: true }),
        ],
      }),
    );
    expect(shown.checks.map((c) => c.message)).toEqual(['', '']);
  });
});
