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
import { sandboxMemoryCeiling } from './sandbox-memory-ceiling';
import { killOwnProcess, SandboxWatchdog } from './sandbox-watchdog';

const config = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessConfig;
const parentPid = config.parentPid ?? process.ppid;
// The parent died before this process could see it (and before any parent-death signal was set).
if (process.ppid !== parentPid) killOwnProcess(`its parent ${parentPid} was gone before it started`);
// The process must not outlive its parent nor its job's wall limit, nor hold more memory than its
// job's isolates may, whatever the isolates do.
const watchdog = new SandboxWatchdog(parentPid, sandboxMemoryCeiling);

function send(message: SandboxToParent): void {
  process.send?.(message);
}

process.on('message', (message: ParentToSandbox) => {
  if (message.type !== 'grade') return;
  watchdog.arm(message.wallLimitMs);
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
    .then((report) => {
      watchdog.disarm();
      send({ type: 'report', jobId: message.jobId, report });
    });
});

// The parent going away (closed pool, crashed worker) must never leave this process behind. Not
// process.exit(): it would wait forever for isolate threads still running student code.
process.on('disconnect', () => killOwnProcess('its parent closed the IPC channel'));
send({ type: 'ready' });
