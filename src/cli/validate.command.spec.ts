import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runValidateCommand } from './validate.command';

const FETCH_ALL = resolve(__dirname, '../../exercises/fetch-all');
const environment = { exercisesDir: resolve(__dirname, '../../exercises') };

function captureOutput() {
  const written = { stdout: '', stderr: '' };
  jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((written.stdout += String(chunk)), true));
  jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((written.stderr += String(chunk)), true));
  return written;
}

/** A copy of fetch-all's folder whose bad/ holds the given files (name -> source). */
function exerciseFolder(bad: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lockstep-validate-')), 'fetch-all');
  mkdirSync(join(dir, 'bad'), { recursive: true });
  for (const file of ['exercise.json', 'statement.md', 'contract.ts', 'starter.ts', 'solution.ts'])
    copyFileSync(join(FETCH_ALL, file), join(dir, file));
  for (const [file, code] of Object.entries(bad)) writeFileSync(join(dir, 'bad', file), code);
  return dir;
}

const source = (file: string) => readFileSync(join(FETCH_ALL, file), 'utf8');

describe('lockstep validate', () => {
  afterEach(() => jest.restoreAllMocks());

  it('passes a sound exercise folder: the reference passes, every known-bad variant fails what it names', async () => {
    const output = captureOutput();
    expect(await runValidateCommand(['fetch-all', '--seeds', '1'], environment)).toBe(0);
    expect(output.stdout).toMatch(/^ok {4}solution\.ts \(seed 1\) +passed 15\/15/m);
    expect(output.stdout).toMatch(/^ok {4}bad\/sequential-awaits\.ts \(seed 1\) +failed/m);
    expect(output.stdout).toMatch(/^valid: 9 gradings, median \d+ ms, worst [\d.]+ (ms|s)$/m);
  }, 60_000);

  it('names every problem of a broken folder and exits 1', async () => {
    const sequential = source('bad/sequential-awaits.ts');
    const dir = exerciseFolder({
      'sequential-awaits.ts': sequential,
      'passes-anyway.ts': `// expect-fail: order\n${source('solution.ts')}`,
      'unknown-check.ts': sequential.replace(/^\/\/ expect-fail: .*$/m, '// expect-fail: no-such-check'),
    });
    const output = captureOutput();
    expect(await runValidateCommand([dir, '--seeds=7,8'], environment)).toBe(1);
    expect(output.stdout).toMatch(
      /^FAIL {2}bad\/passes-anyway\.ts \(seed 7\) +passed 15\/15, \d+ ms: passed every check: a known-bad variant must fail$/m,
    );
    expect(output.stdout).toMatch(
      /^FAIL {2}bad\/unknown-check\.ts \(seed 8\) .*did not fail no-such-check, which its first line names$/m,
    );
    expect(output.stdout).toContain(
      'FAIL  bad/ has 3 known-bad variants; write at least 6, one per mistake the brief lists',
    );
    expect(output.stdout).toContain(
      'FAIL  bad/unknown-check.ts names checks exercise.json does not define: no-such-check',
    );
    expect(output.stdout).toMatch(/^6 problems: 9 gradings/m);
  }, 60_000);

  it('explains its usage on bad arguments', async () => {
    const output = captureOutput();
    expect(await runValidateCommand(['no-such-exercise'], environment)).toBe(2);
    expect(output.stderr).toContain(
      'no-such-exercise is neither a folder with an exercise.json nor an exercise in',
    );
    expect(await runValidateCommand(['fetch-all', '--pool', '0'], environment)).toBe(2);
    expect(output.stderr).toContain('--pool must be a whole number from 1 to 8');
  });
});
