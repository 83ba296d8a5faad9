/**
 * Entry point of a pooled sandbox process (forked by SandboxPool with no credentials in its
 * environment). Grades one job at a time and answers each with a report; a crash or a kill is
 * turned into a verdict by the parent.
 */
import { assembleReport } from '../grading/assemble-report';
import { gradeSubmission } from '../grading/grade-submission';
import { graderVersion } from '../grading/grader-modules';
import { defaultSeedFor } from '../grading/seeded-random';
import type { ParentToSandbox, SandboxProcessConfig, SandboxToParent } from './sandbox-protocol';

const config = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessConfig;

function send(message: SandboxToParent): void {
  process.send?.(message);
}

process.on('message', (message: ParentToSandbox) => {
  if (message.type !== 'grade') return;
  gradeSubmission({
    exercise: message.exercise,
    code: message.code,
    seed: message.seed,
    gradersDir: config.gradersDir,
    dedicatedCores: message.dedicatedCores,
  })
    .catch((error: unknown) =>
      assembleReport({
        exercise: message.exercise,
        fatal: {
          status: 'internal_error',
          message: `grading failed: ${(error as Error)?.message ?? String(error)}`,
        },
        seed: message.seed ?? defaultSeedFor(message.code),
        durationMs: 0,
        graderVersion: graderVersion(config.gradersDir),
      }),
    )
    .then((report) => send({ type: 'report', jobId: message.jobId, report }));
});

// The parent going away (closed pool, crashed worker) must never leave this process behind.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
