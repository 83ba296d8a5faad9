import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExercisesCommand } from './exercises.command';
import { runGradeCommand } from './grade.command';

const REPO = resolve(__dirname, '../..');
const environment = {
  exercisesDir: join(REPO, 'src/sandbox/__fixtures__/exercises'),
  gradersDir: join(REPO, 'dist/src/sandbox/__fixtures__/graders'),
};

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

function submissionFile(code: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lockstep-cli-')), 'solution.ts');
  writeFileSync(file, code);
  return file;
}

describe('lockstep grade', () => {
  afterEach(() => jest.restoreAllMocks());
  const correct = submissionFile(
    'export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>) {\n' +
      '  return Promise.all(urls.map((url) => fetchData(url).catch((e: Error) => "error: " + e.message)));\n}\n',
  );

  it('prints a readable report and exits 0 when every check passes', async () => {
    const output = captureOutput();
    expect(await runGradeCommand(['--exercise', 'fixture-fetch', correct], environment)).toBe(0);
    expect(output.stdout).toContain('fixture-fetch PASSED 6/6');
  });

  it('prints the JSON report with --json and exits 1 when a check fails', async () => {
    const sequential = submissionFile(
      'export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>) {\n' +
        '  const out: string[] = [];\n  for (const u of urls) out.push(await fetchData(u).catch((e: Error) => "error: " + e.message));\n  return out;\n}\n',
    );
    const output = captureOutput();
    expect(
      await runGradeCommand(['--exercise=fixture-fetch', '--json', '--seed', 's1', sequential], environment),
    ).toBe(1);
    const report = JSON.parse(output.stdout);
    expect(report).toMatchObject({
      status: 'failed',
      seed: 's1',
      replay: 'npx lockstep grade --exercise fixture-fetch solution.ts --seed s1',
    });
  });

  it('ends a failed report with the command that replays it, seed and file quoted for the shell', async () => {
    const sequential = submissionFile(
      'export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>) {\n' +
        '  const out: string[] = [];\n  for (const u of urls) out.push(await fetchData(u));\n  return out;\n}\n',
    );
    const output = captureOutput();
    expect(
      await runGradeCommand(['--exercise', 'fixture-fetch', '--seed', "it's 2", sequential], environment),
    ).toBe(1);
    expect(output.stdout.trimEnd().split('\n').at(-1)).toBe(
      `  replay: npx lockstep grade --exercise fixture-fetch ${sequential} --seed 'it'\\''s 2'`,
    );
  });

  it.each([
    [['--exercise', 'fixture-fetch', '--verbose', 'x.ts'], 'unknown option --verbose'],
    [['--exercise', 'fixture-fetch', '/no/such/file.ts'], 'cannot read /no/such/file.ts'],
    [['--exercise', 'no-such-exercise', 'x.ts'], "unknown exercise 'no-such-exercise'"],
    [['x.ts'], 'missing --exercise'],
  ])('exits 2 with a message on bad usage: %j', async (argv, message) => {
    const output = captureOutput();
    const args = argv.map((arg) => (arg === 'x.ts' ? correct : arg));
    expect(await runGradeCommand(args, environment)).toBe(2);
    expect(output.stderr).toContain(message);
  });
});

describe('lockstep exercises', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lists slugs and titles', async () => {
    const output = captureOutput();
    expect(await runExercisesCommand([], environment)).toBe(0);
    expect(output.stdout).toBe('fixture-fetch  Fixture: fetch each url concurrently\n');
  });
});
