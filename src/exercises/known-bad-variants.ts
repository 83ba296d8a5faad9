import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A known-bad file of an exercise folder (`bad/*.ts`) and the checks it must fail. */
export interface KnownBadVariant {
  /** File name within bad/. */
  file: string;
  path: string;
  code: string;
  expectFail: string[];
}

/** The check ids on the first line of a known-bad file: `// expect-fail: a, b`. */
export function expectedFailures(source: string, file = 'a known-bad file'): string[] {
  const match = /^\/\/\s*expect-fail:\s*(.+)$/.exec(source.split('\n', 1)[0]);
  if (!match) throw new Error(`${file} must start with "// expect-fail: <check-id>[, <check-id>]"`);
  return match[1]
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

/** Every `bad/*.ts` of the folder, sorted by name; none when there is no bad/ folder. */
export function knownBadVariants(exerciseDir: string): KnownBadVariant[] {
  const badDir = join(exerciseDir, 'bad');
  if (!existsSync(badDir)) return [];
  return readdirSync(badDir)
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => {
      const path = join(badDir, file);
      const code = readFileSync(path, 'utf8');
      return { file, path, code, expectFail: expectedFailures(code, `bad/${file}`) };
    });
}
