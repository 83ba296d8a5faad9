import type { CheckDefinition } from '../exercises/exercise-definition';
import { ConsoleBudget } from '../sandbox/console-budget';
import { SandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import type { CheckResult } from './grade-report';
import { HiddenCheckScopes } from './hidden-check-scopes';

const definitions: CheckDefinition[] = [
  { id: 'results', name: 'results', points: 2, hidden: false },
  { id: 'large-random', name: 'large', points: 2, hidden: true },
  { id: 'other-hidden', name: 'other', points: 1, hidden: true },
];

const result = (id: string, status: CheckResult['status']): CheckResult => ({
  id,
  name: id,
  status,
  score: 0,
  maxScore: 2,
  message: status === 'failed' ? 'the evidence' : '',
  hidden: id !== 'results',
});

describe('HiddenCheckScopes', () => {
  let console: ConsoleBudget;
  let scopes: HiddenCheckScopes;
  beforeEach(() => {
    console = new ConsoleBudget(1000);
    scopes = new HiddenCheckScopes(definitions, console);
  });

  it('tags the console lines printed while a hidden check runs, as ranges of the console', async () => {
    console.write('before');
    await scopes.run('large-random', async () => {
      console.write('hidden 1');
      console.write('hidden 2');
    });
    console.write('between');
    await scopes.run('large-random', async () => console.write('hidden 3'));
    await scopes.run('other-hidden', async () => console.write('other'));
    expect(console.lines).toEqual(['before', 'hidden 1', 'hidden 2', 'between', 'hidden 3', 'other']);
    expect(console.hiddenRanges).toEqual([
      { check: 'large-random', start: 1, end: 3 },
      { check: 'large-random', start: 4, end: 5 },
      { check: 'other-hidden', start: 5, end: 6 },
    ]);
  });

  it('closes the scope when its body throws, and remembers a grader error thrown out of it', async () => {
    await expect(
      scopes.run('large-random', async () => {
        throw new Error('the grader did not probe byteLength(7)');
      }),
    ).rejects.toThrow('byteLength(7)');
    expect(scopes.current).toBeNull();
    expect(console.hiddenCheck).toBeNull();
    expect(scopes.graderErrorIn).toBe('large-random');
    await expect(
      scopes.run('other-hidden', async () => {
        throw new SandboxVerdictError('timeout', 'too slow');
      }),
    ).rejects.toThrow('too slow');
    expect(scopes.graderErrorIn).toBe('large-random'); // a verdict is tagged by the context, not here
  });

  it('refuses a check that is not declared hidden, and a scope inside another: grader bugs', async () => {
    await expect(scopes.run('results', async () => 1)).rejects.toThrow(/does not declare hidden/);
    await expect(scopes.run('large-random', () => scopes.run('other-hidden', async () => 1))).rejects.toThrow(
      /inside hiddenCheck\('large-random'\)/,
    );
  });

  it('says how a failed hidden check failed from how its runs ended, the most telling first', async () => {
    scopes.noteRunEnd('runtime_error'); // outside any scope: not a hidden check's
    await scopes.run('large-random', async () => {
      scopes.noteRunEnd(null);
      scopes.noteRunEnd('timeout');
      scopes.noteRunEnd('deadlock');
    });
    await scopes.run('other-hidden', async () => scopes.noteRunEnd(null));
    const checks = scopes.withFailureKinds(
      [result('results', 'failed'), result('large-random', 'failed'), result('other-hidden', 'failed')],
      undefined,
    );
    expect(checks.map((check) => check.failureKind)).toEqual([undefined, 'deadlock', 'wrong_result']);
  });

  it('gives the fatal status to the hidden check grading ended in, and nothing to a check that passed', () => {
    const checks = scopes.withFailureKinds(
      [result('results', 'passed'), result('large-random', 'skipped'), result('other-hidden', 'passed')],
      { status: 'memory_limit', hiddenCheck: 'large-random' },
    );
    expect(checks.map((check) => check.failureKind)).toEqual([undefined, 'memory_limit', undefined]);
  });
});
