import type { AsyncDriverCode } from '../grader-api';

export interface HeartbeatDriverInput {
  items: string[];
  label: string;
}

/**
 * RUNS INSIDE THE ISOLATE, beside the submission (see AsyncDriverCode): starts a heartbeat, then
 * calls digestAll(items, digest) as one operation. The heartbeat is a 0 ms timeout that re-queues
 * itself and marks each tick, so the host can count the digests between two ticks.
 *
 * Why a timeout and not setImmediate: on the virtual clock an immediate costs no time, so one that
 * re-queues itself would fire forever at one instant and starve a submission waiting on a timer.
 * A 0 ms timeout is 1 ms in Node; every digest costs at least 1 ms, so after any digest the
 * heartbeat is already due, and Node fires due timers before anything queued after them (the
 * timers phase comes first, and timers due together fire in the order they were set). So any
 * yield that lets a macrotask run, setImmediate or a timer, lets a tick run first.
 */
export const heartbeatDriver: AsyncDriverCode = () => {
  return (exports, services, tools, input: HeartbeatDriverInput) => {
    const digestAll = exports.digestAll as (items: string[], digest: unknown) => unknown;
    const beat = () => {
      tools.mark('tick');
      tools.setTimeout(beat, 0);
    };
    tools.setTimeout(beat, 0);
    tools.operation(input.label, () => digestAll(input.items, services.digest));
  };
};
