/**
 * What the thread runtime assumes about isolated-vm 5.0.4, checked on this host through a child
 * `node --no-node-snapshot` (isolated-vm cannot load inside Jest). If an upgrade changes one of
 * these, this suite says which assumption broke; docs/threads.md explains each.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const PROBE = resolve(__dirname, '../../../dist/src/sandbox/threads/__fixtures__/probe-isolated-vm.js');

interface ProbeResult {
  seenByOther: number;
  hostSees: number;
  sequentialMs: number;
  parallelMs: number;
  atomicAddTotal: number;
  expectedAddTotal: number;
  waitResult: string;
  notified: number;
  wokenAfterMs: number;
  waiterCpuTimeMs: number;
  waiterWallTimeMs: number;
  processCpuMs: number;
  spinMs: number;
}

describe('isolated-vm 5 as a thread platform', () => {
  let probe: ProbeResult;

  beforeAll(() => {
    probe = JSON.parse(
      execFileSync(process.execPath, ['--no-node-snapshot', PROBE], { encoding: 'utf8' }),
    ) as ProbeResult;
  });

  it('shares a SharedArrayBuffer given to two isolates through ExternalCopy, with the host too', () => {
    expect(probe.seenByOther).toBe(42);
    expect(probe.hostSees).toBe(42);
  });

  it('runs two isolates at the same time, each on its own thread, when they are entered with the async calls', () => {
    // Two 200 ms spins on the wall clock: about 400 ms one after the other, about 200 ms together.
    expect(probe.sequentialMs).toBeGreaterThanOrEqual(2 * probe.spinMs - 5);
    expect(probe.parallelMs).toBeLessThan(1.5 * probe.spinMs);
  });

  it('keeps every Atomics.add of two parallel isolates on one cell', () => {
    expect(probe.atomicAddTotal).toBe(probe.expectedAddTotal);
  });

  it('wakes an Atomics.wait in one isolate with an Atomics.notify from another', () => {
    expect(probe.waitResult).toBe('ok');
    expect(probe.notified).toBe(1);
    expect(probe.wokenAfterMs).toBeLessThan(probe.spinMs + 1000);
  });

  it('counts time blocked in Atomics.wait as cpuTime, which is why the runtime measures waits itself', () => {
    // The waiter slept about 200 ms: cpuTime says so too, while the process used far less real CPU.
    expect(probe.waiterCpuTimeMs).toBeGreaterThan(0.8 * probe.spinMs);
    expect(probe.waiterCpuTimeMs).toBeGreaterThan(0.8 * probe.waiterWallTimeMs);
  });
});
