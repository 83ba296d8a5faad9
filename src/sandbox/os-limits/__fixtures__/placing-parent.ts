/**
 * A server in miniature for the tests of what outlives it: starts the limits probe exactly as the
 * pool places a sandbox process, makes it block its main thread, and tells its own parent (the
 * test) the probe's pid. argv[2]:
 * - "no-setpriv": no parent-death signal either (the control); otherwise only that signal of the
 *   OS limits, and the test SIGKILLs this process;
 * - "cgroups-then-exit": every OS limit this host allows (cgroups too), then process.exit(0)
 *   without closing anything, as a crashing worker would.
 * argv[3]: the probe to start (default: the limits probe, which has no watchdog).
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { SandboxOsLimits } from '../sandbox-os-limits';

export type PlacingParentMessage = { type: 'placed'; probePid: number };

if (require.main === module) {
  const mode = process.argv[2];
  const limits = new SandboxOsLimits(
    mode === 'cgroups-then-exit'
      ? { unshareBinary: '/nonexistent' }
      : {
          mountsFile: '/nonexistent',
          unshareBinary: '/nonexistent',
          tasksetBinary: '/nonexistent',
          ...(mode === 'no-setpriv' ? { setprivBinary: '/nonexistent' } : {}),
        },
  );
  const probe = fork(process.argv[3] ?? join(__dirname, 'limits-probe-process.js'), [], {
    ...limits.placeProcess().command([]),
    env: {},
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  probe.once('message', () => {
    probe.send({ type: 'block' });
    process.send?.({ type: 'placed', probePid: probe.pid! } satisfies PlacingParentMessage, () => {
      if (mode === 'cgroups-then-exit') process.exit(0);
    });
  });
}
