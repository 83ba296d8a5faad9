/**
 * The scheduler's decision: which thread takes the next step. RUNS INSIDE EACH THREAD'S ISOLATE
 * (stringified into the controlled bootstrap) and on the host (the first turn of a run), so it is
 * self-contained: its parameters and nothing else.
 *
 * Called by the thread holding the turn when it reaches a scheduling point, blocks or finishes.
 * - random: every ready thread is equally likely (xorshift32 in the control memory).
 * - pct: the ready thread with the highest priority; priorities drop at the change points, which
 *   the thread taking that step applies before it calls this (Burckhardt et al., ASPLOS 2010).
 * When no thread is ready, the sleeper whose timeout ends first on the virtual clock wakes with
 * 'timed-out' (a timed wait never ends while another thread can still move: timeouts are long
 * next to a step). When there is none either, it returns -1: the run is over (every thread
 * finished) or deadlocked, which the caller tells apart.
 */
import type { ControlLayout } from './controlled-contract';

export function chooseNextThread(ctl: Int32Array, L: ControlLayout): number {
  const H = L.header;
  const T = L.thread;
  const count = ctl[H.threads];
  const cell = (thread: number, field: number) => L.threadBase + thread * L.threadStride + field;
  let ready = 0;
  let best = -1;
  for (let thread = 0; thread < count; thread++) {
    if (ctl[cell(thread, T.state)] !== L.state.ready) continue;
    ready++;
    if (best < 0 || ctl[cell(thread, T.priority)] > ctl[cell(best, T.priority)]) best = thread;
  }
  if (ready > 0 && ctl[H.strategy] === L.strategy.random) {
    let x = ctl[H.random];
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    ctl[H.random] = x;
    let skip = (x >>> 0) % ready;
    for (let thread = 0; thread < count; thread++) {
      if (ctl[cell(thread, T.state)] !== L.state.ready) continue;
      if (skip-- === 0) return thread;
    }
  }
  if (best >= 0) return best;
  let earliest = -1;
  for (let thread = 0; thread < count; thread++) {
    if (ctl[cell(thread, T.state)] !== L.state.blocked || ctl[cell(thread, T.timeoutAt)] < 0) continue;
    if (
      earliest < 0 ||
      ctl[cell(thread, T.timeoutAt)] < ctl[cell(earliest, T.timeoutAt)] ||
      (ctl[cell(thread, T.timeoutAt)] === ctl[cell(earliest, T.timeoutAt)] &&
        ctl[cell(thread, T.waitSequence)] < ctl[cell(earliest, T.waitSequence)])
    )
      earliest = thread;
  }
  if (earliest < 0) return -1;
  const at = ctl[cell(earliest, T.timeoutAt)];
  if (at > ctl[H.virtualMs]) ctl[H.virtualMs] = at;
  ctl[cell(earliest, T.state)] = L.state.ready;
  ctl[cell(earliest, T.wake)] = L.wake.timedOut;
  return earliest;
}
