/**
 * A grading worker in miniature for the orphan tests: a SandboxPool that grades a race-free-counter
 * submission whose lock() spins forever, and tells its own parent (the test) the sandbox process
 * ids once grading has started. The test then SIGKILLs this process and watches the orphans.
 * argv[2]: "on" (OS limits where the host allows) or "off" (osLimits.enabled false).
 */
import { SandboxPool } from '../sandbox-pool';

export const SPINNING_LOCK = `
export class Mutex {
  constructor(private readonly state: Int32Array, private readonly index = 0) {}
  lock(): void {
    for (;;) {
      // never takes the lock, never sleeps
    }
  }
  unlock(): void {}
}
`;

export type OrphaningParentMessage = { type: 'grading'; sandboxPids: number[] };

if (require.main === module) {
  const pool = new SandboxPool({
    size: 1,
    osLimits: { enabled: process.argv[2] !== 'off' },
    logOsLimits: () => undefined,
    logDedicatedCores: () => undefined,
  });
  void pool.grade({ exercise: 'race-free-counter', code: SPINNING_LOCK });
  const announce = setInterval(() => {
    const sandboxPids = pool.processIds();
    if (sandboxPids.length === 0) return;
    clearInterval(announce);
    process.send?.({ type: 'grading', sandboxPids } satisfies OrphaningParentMessage);
  }, 20);
}
