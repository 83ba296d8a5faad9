import { build, type Message, type Plugin } from 'esbuild';
import type { SourceLocation } from '../grading/grade-report';
import { SubmissionSourceMap } from './submission-source-map';

/** The course rule: one file of at most 64 KiB. Checked before esbuild sees it. */
export const MAX_SUBMISSION_BYTES = 64 * 1024;

/** The only modules a submission may import; the in-isolate runtime provides both. */
export const ALLOWED_MODULES: readonly string[] = ['node:timers/promises', 'node:worker_threads'];

/** The name the student's file has in messages and source maps. */
export const SUBMISSION_FILE_NAME = 'solution.ts';

/** The wrapper parameter through which the bundle reaches the runtime's two modules; `require` itself stays undefined, as in an ES module. */
export const BUILTIN_MODULE_LOADER = '__lockstepBuiltinModule';

export interface CompiledSubmission {
  /** CommonJS body: expects `exports, module, __filename, __dirname` and BUILTIN_MODULE_LOADER in scope. */
  javascript: string;
  sourceMap: SubmissionSourceMap;
}

export type TranspileResult =
  | { ok: true; submission: CompiledSubmission }
  | { ok: false; error: { message: string; location?: SourceLocation } };

/** Refuses every import except the allowed modules, so esbuild reports the importing line and column. */
const allowedImportsOnly: Plugin = {
  name: 'lockstep-allowed-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) =>
      ALLOWED_MODULES.includes(args.path)
        ? { path: args.path, namespace: 'lockstep-builtin' }
        : { errors: [{ text: `cannot import '${args.path}': only ${ALLOWED_MODULES.join(' and ')} may be imported` }] },
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lockstep-builtin' }, (args) => ({
      contents: `module.exports = ${BUILTIN_MODULE_LOADER}(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** TypeScript to one CommonJS script with a source map; syntax errors and forbidden imports become values. */
export async function transpileSubmission(code: string): Promise<TranspileResult> {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > MAX_SUBMISSION_BYTES) {
    return {
      ok: false,
      error: { message: `${SUBMISSION_FILE_NAME} is ${bytes} bytes; a submission may be at most ${MAX_SUBMISSION_BYTES} bytes (64 KiB)` },
    };
  }
  try {
    const result = await build({
      stdin: { contents: code, loader: 'ts', sourcefile: SUBMISSION_FILE_NAME, resolveDir: '/' },
      absWorkingDir: '/',
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      outfile: 'solution.js',
      sourcemap: 'external',
      logLevel: 'silent',
      // Keep `import fs from 'fs'` even when unused, so every forbidden import is refused, not elided.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      define: { 'import.meta.url': JSON.stringify(`file:///${SUBMISSION_FILE_NAME}`) },
      plugins: [allowedImportsOnly],
    });
    const javascript = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
    const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'))?.text ?? '';
    return { ok: true, submission: { javascript, sourceMap: new SubmissionSourceMap(map) } };
  } catch (error) {
    const first = (error as { errors?: Message[] }).errors?.[0];
    if (!first) throw error;
    return { ok: false, error: describeBuildError(first) };
  }
}

function describeBuildError(message: Message): { message: string; location?: SourceLocation } {
  if (!message.location) return { message: message.text };
  // esbuild columns are 0-based; reports use 1-based lines and columns like editors do.
  const location = { line: message.location.line, column: message.location.column + 1 };
  return { message: `${SUBMISSION_FILE_NAME}:${location.line}:${location.column}: ${message.text}`, location };
}
