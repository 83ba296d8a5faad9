import { BUILTIN_MODULE_LOADER, SUBMISSION_URL, transpileSubmission } from './transpile-submission';

async function compileError(code: string) {
  const result = await transpileSubmission(code);
  if (result.ok) throw new Error('expected a compile error');
  return result.error;
}

describe('transpileSubmission', () => {
  it('reports a syntax error with its line and column', async () => {
    const error = await compileError('const x: number = 1;\nlet y = ;\n');
    expect(error.location).toEqual({ line: 2, column: 9 });
    expect(error.message).toContain('Unexpected ";"');
  });

  it('refuses `import fs from "fs"` even when fs is never used, naming the module and its position', async () => {
    const error = await compileError('const a = 1;\n  import fs from "fs";\n');
    expect(error.location).toEqual({ line: 2, column: 18 });
    expect(error.message).toContain("cannot import 'fs'");
  });

  it('refuses a dynamic import("net")', async () => {
    const error = await compileError('export async function f() {\n  return import("net");\n}\n');
    expect(error.location).toEqual({ line: 2, column: 17 });
    expect(error.message).toContain("'net'");
  });

  it('refuses require("child_process")', async () => {
    const error = await compileError('const cp = require("child_process");\n');
    expect(error.location).toEqual({ line: 1, column: 20 });
    expect(error.message).toContain("'child_process'");
  });

  it('still refuses a module named in a way the quick word check misses (an escaped require)', async () => {
    const error = await compileError('export const cp = req\\u0075ire("child_process");\n');
    expect(error.message).toContain("cannot import 'child_process'");
    expect(error.location?.line).toBe(1);
  });

  it('compiles a submission that names no module to the same CommonJS module', async () => {
    const result = await transpileSubmission('export const answer: number = 42;\n');
    if (!result.ok) throw new Error(result.error.message);
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', result.submission.javascript)(module, module.exports);
    expect(module.exports.answer).toBe(42);
  });

  it.each(['process', 'timers', './helper', 'node:fs'])('refuses an import of %s', async (specifier) => {
    const error = await compileError(`import x from "${specifier}";\nexport const y = x;\n`);
    expect(error.message).toContain(`'${specifier}'`);
  });

  it('accepts node:timers/promises and the node:worker_threads subset', async () => {
    const result = await transpileSubmission(
      'import { setTimeout as sleep } from "node:timers/promises";\nimport { isMainThread } from "node:worker_threads";\n' +
        'export async function f(ms: number): Promise<boolean> { await sleep(ms); return isMainThread; }\n',
    );
    expect(result.ok).toBe(true);
  });

  it('accepts worker_threads and timers/promises without the node: prefix, and hands the runtime the prefixed name', async () => {
    const result = await transpileSubmission(
      'import { isMainThread } from "worker_threads";\nimport { setTimeout as sleep } from "timers/promises";\n' +
        'export const both = [isMainThread, sleep];\n',
    );
    if (!result.ok) throw new Error(result.error.message);
    const asked: string[] = [];
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', BUILTIN_MODULE_LOADER, result.submission.javascript)(
      module,
      module.exports,
      (specifier: string) => (asked.push(specifier), { isMainThread: true, setTimeout: 'sleep' }),
    );
    expect(asked.sort()).toEqual(['node:timers/promises', 'node:worker_threads']);
    expect(module.exports.both).toEqual([true, 'sleep']);
  });

  it("makes import.meta.url the file: URL of the submission's __filename, so new URL(import.meta.url) names this file", async () => {
    const result = await transpileSubmission('export const self: string = new URL(import.meta.url).href;\n');
    if (!result.ok) throw new Error(result.error.message);
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', result.submission.javascript)(module, module.exports);
    expect(module.exports.self).toBe(SUBMISSION_URL);
    expect(SUBMISSION_URL).toBe('file:///sandbox/solution.js');
  });

  it('refuses code over 64 KiB before transpiling it', async () => {
    const error = await compileError(`// ${'x'.repeat(64 * 1024)}\n`);
    expect(error.message).toMatch(/at most 65536 bytes/);
  });

  it("maps a position in the generated script back to the student's line", async () => {
    const result = await transpileSubmission(
      'type T = { a: number };\n\n\nexport function boom(): T {\n  throw new Error("x");\n}\n',
    );
    if (!result.ok) throw new Error(result.error.message);
    const lines = result.submission.javascript.split('\n');
    const generatedLine = lines.findIndex((line) => line.includes('throw new Error')) + 1;
    const column = lines[generatedLine - 1].indexOf('throw') + 1;
    const stack = `Error: x\n    at boom (file:///sandbox/solution.js:${generatedLine}:${column})`;
    expect(result.submission.sourceMap.locateStack(stack)).toEqual({ line: 5, column: 3 });
  });
});
