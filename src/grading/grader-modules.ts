import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ExerciseGrader } from '../../graders/grader-api';

/** graders/ next to this file's tree: src/grading -> graders in the sources, dist/src/grading -> dist/graders when compiled. */
export const DEFAULT_GRADERS_DIR = resolve(__dirname, '../../graders');

const GRADER_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Loads `<gradersDir>/<name>/index` and checks that its default export is an ExerciseGrader. */
export function loadGrader(name: string, gradersDir: string = DEFAULT_GRADERS_DIR): ExerciseGrader {
  if (!GRADER_NAME.test(name)) throw new Error(`exercise names an invalid grader '${name}'`);
  const loaded = require(join(gradersDir, name, 'index')) as { default?: ExerciseGrader };
  if (typeof loaded.default?.grade !== 'function')
    throw new Error(`graders/${name}/index has no default export with a grade() method`);
  return loaded.default;
}

const versions = new Map<string, string>();

/** Package version + a short hash of the graders' sources: a report says which grading code produced it. */
export function graderVersion(gradersDir: string = DEFAULT_GRADERS_DIR): string {
  let version = versions.get(gradersDir);
  if (!version) {
    const hash = createHash('sha256');
    for (const file of sourceFiles(gradersDir))
      hash.update(file.slice(gradersDir.length)).update('\0').update(readFileSync(file));
    version = `${packageVersion()}+${hash.digest('hex').slice(0, 8)}`;
    versions.set(gradersDir, version);
  }
  return version;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(js|ts)$/.test(entry) && !/\.(spec|d)\.ts$/.test(entry) ? [path] : [];
  });
}

function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // not here; keep walking up
    }
  }
  return '0.0.0';
}
