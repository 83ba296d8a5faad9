import { build, type BuildOptions, type BuildResult, type Message, type Plugin } from 'esbuild';
import type { SourceLocation } from '../grading/grade-report';
import { SANDBOXED_SCRIPT_URL, SubmissionSourceMap } from './submission-source-map';

/** The course rule: one file of at most 64 KiB. Checked before esbuild sees it. */
export const MAX_SUBMISSION_BYTES = 64 * 1024;

/** The only modules a submission may import; the in-isolate runtime provides both. */
export const ALLOWED_MODULES: readonly string[] = ['node:timers/promises', 'node:worker_threads'];

/** Node also accepts these built-ins without the `node:` prefix; the runtime only ever sees the prefixed name. */
const MODULE_ALIASES: Readonly<Record<string, string>> = {
  'timers/promises': 'node:timers/promises',
  worker_threads: 'node:worker_threads',
};

/** `import.meta.url` in the submission: the `file:` URL of its `__filename` (/sandbox/solution.js), as in Node. */
export const SUBMISSION_URL = SANDBOXED_SCRIPT_URL;

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
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      const path = MODULE_ALIASES[args.path] ?? args.path;
      return ALLOWED_MODULES.includes(path)
        ? { path, namespace: 'lockstep-builtin' }
        : {
            errors: [
              { text: `cannot import '${args.path}': only ${ALLOWED_MODULES.join(' and ')} may be imported` },
            ],
          };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lockstep-builtin' }, (args) => ({
      contents: `module.exports = ${BUILTIN_MODULE_LOADER}(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** What both builds share: one CommonJS script and its source map, from the student's TypeScript. */
function buildOptions(code: string): BuildOptions & { write: false } {
  return {
    stdin: { contents: code, loader: 'ts', sourcefile: SUBMISSION_FILE_NAME, resolveDir: '/' },
    absWorkingDir: '/',
    write: false,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2022',
    outfile: 'solution.js',
    sourcemap: 'external',
    sourcesContent: false, // only positions are looked up; the student's text need not travel back
    logLevel: 'silent',
    // Keep `import fs from 'fs'` even when unused, so every forbidden import is refused, not elided.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    // So `new Worker(new URL(import.meta.url))` starts this same file, as it does in Node.
    define: { 'import.meta.url': JSON.stringify(SUBMISSION_URL) },
  };
}

/** A source without these words cannot name a module (keywords may not contain escapes); it skips the plugin. */
const MAY_NAME_A_MODULE = /import|require|from/;

/** TypeScript to one CommonJS script with a source map; syntax errors and forbidden imports become values. */
export async function transpileSubmission(code: string): Promise<TranspileResult> {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > MAX_SUBMISSION_BYTES) {
    return {
      ok: false,
      error: {
        message: `${SUBMISSION_FILE_NAME} is ${bytes} bytes; a submission may be at most ${MAX_SUBMISSION_BYTES} bytes (64 KiB)`,
      },
    };
  }
  try {
    if (!MAY_NAME_A_MODULE.test(code)) {
      // Without bundling nothing is resolved, so nothing on the host can be read; the plugin (a round
      // trip to set up on every build) is needed only if the output still refers to a module after all.
      const unbundled = await build({ ...buildOptions(code), bundle: false, metafile: true });
      const imports = Object.values(unbundled.metafile.outputs).flatMap((output) => output.imports);
      if (imports.length === 0) return compiled(unbundled);
    }
    return compiled(await build({ ...buildOptions(code), bundle: true, plugins: [allowedImportsOnly] }));
  } catch (error) {
    const first = (error as { errors?: Message[] }).errors?.[0];
    if (!first) throw error;
    return { ok: false, error: describeBuildError(first) };
  }
}

function compiled(result: Pick<BuildResult, 'outputFiles'>): TranspileResult {
  const javascript = result.outputFiles?.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const map = result.outputFiles?.find((file) => file.path.endsWith('.js.map'))?.text ?? '';
  return { ok: true, submission: { javascript, sourceMap: new SubmissionSourceMap(map) } };
}

function describeBuildError(message: Message): { message: string; location?: SourceLocation } {
  if (!message.location) return { message: message.text };
  // esbuild columns are 0-based; reports use 1-based lines and columns like editors do.
  const location = { line: message.location.line, column: message.location.column + 1 };
  return {
    message: `${SUBMISSION_FILE_NAME}:${location.line}:${location.column}: ${message.text}`,
    location,
  };
}
