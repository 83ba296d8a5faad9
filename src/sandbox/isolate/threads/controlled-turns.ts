/**
 * RUNS INSIDE EACH THREAD'S ISOLATE in a controlled run, first of all (stringified: its parameters
 * and captured built-ins only; `choose` is chooseNextThread, spliced in by the bootstrap).
 *
 * Turn-taking: only the thread holding the turn moves. Before each operation on shared memory
 * (controlled-views.ts and controlled-atomics.ts call `step`) the thread asks the scheduler who moves next; if that is
 * another thread it hands the turn over (Atomics.store + notify on the other's turn cell) and
 * sleeps on its own until the turn comes back. Atomics.wait is modelled: a thread whose wait
 * would block is marked blocked and hands the turn on; a notify marks sleepers ready again. A
 * thread that finds nobody able to move ends the run (completed, or deadlock) and tells the host
 * through the status cell. Everything here is trusted; the submission cannot reach this closure.
 */
import type { ControlLayout } from './controlled-contract';

export interface ControlledTurnsSettings {
  index: number;
  control: SharedArrayBuffer;
  layout: ControlLayout;
}

export interface ControlledTurns {
  /** Before an operation on shared memory: counts a step and waits for the turn if the scheduler gives it away. */
  step(): void;
  /** What the step did, for the trace. `buffer` is the grader buffer's position (-1 when not the grader's). */
  record(kind: number, buffer: number, index: number, value: number, extra: number): void;
  /**
   * A wait whose value matched: sleeps (modelled) until a notify on the same cell, or until its
   * timeout ends on the virtual clock. `key` identifies the buffer across threads.
   */
  sleep(
    key: number,
    byteIndex: number,
    elementBytes: number,
    expected: number,
    timeoutMs: number,
  ): 'ok' | 'timed-out';
  /** Wakes up to `count` sleepers on the cell, those that slept first first; returns how many. */
  wake(key: number, byteIndex: number, count: number): number;
  /** A labelled step of the grader's own code (ThreadTools.point), in the trace as `point`. */
  point(code: number, arg: number): void;
  /** The thread body returned or threw: the thread is done and the turn passes on. */
  finish(): void;
  /** Start of a run: counts this thread in at the barrier, waits for go, then for its first turn. */
  arriveAndWait(cells: Int32Array, arrived: number, go: number): void;
  /** Virtual ms since the run began: timeouts that ran out, plus a microsecond per step. */
  virtualNow(): number;
}

export function installControlledTurns(
  settings: ControlledTurnsSettings,
  choose: (ctl: Int32Array, L: ControlLayout) => number,
): ControlledTurns {
  'use strict';
  const L = settings.layout;
  const H = L.header;
  const T = L.thread;
  const me = settings.index;
  const apply = Reflect.apply;
  const nativeWait = Atomics.wait as (...args: unknown[]) => string;
  const nativeNotify = Atomics.notify as (...args: unknown[]) => number;
  const nativeLoad = Atomics.load as (...args: unknown[]) => number;
  const nativeStore = Atomics.store as (...args: unknown[]) => number;
  const nativeAdd = Atomics.add as (...args: unknown[]) => number;
  const ceil = Math.ceil;
  const NativeError = Error;
  const ctl = new Int32Array(settings.control);
  const cell = (thread: number, field: number) => L.threadBase + thread * L.threadStride + field;
  const MAX_VIRTUAL_MS = 0x3fffffff;

  const load = (index: number) => apply(nativeLoad, Atomics, [ctl, index]);
  const store = (index: number, value: number) => apply(nativeStore, Atomics, [ctl, index, value]);

  function handTo(next: number): void {
    ctl[H.current] = next;
    store(cell(next, T.turn), 1);
    apply(nativeNotify, Atomics, [ctl, cell(next, T.turn), 1]);
  }

  function awaitTurn(): void {
    const turn = cell(me, T.turn);
    while (load(turn) === 0) apply(nativeWait, Atomics, [ctl, turn, 0]);
    store(turn, 0);
  }

  /** The run is over: tell the host. A thread that cannot go on sleeps until the host disposes it. */
  function end(status: number, park: boolean): void {
    store(H.status, status);
    apply(nativeNotify, Atomics, [ctl, H.status]);
    if (park) for (;;) apply(nativeWait, Atomics, [ctl, cell(me, T.turn), load(cell(me, T.turn))]);
  }

  /** Hands the turn to whoever the scheduler picks, or ends the run when nobody can move. */
  function passTurn(finishing: boolean): void {
    const next = choose(ctl, L);
    if (next === me) return;
    if (next < 0) {
      const allDone = ctl[H.finished] === ctl[H.threads];
      end(allDone ? L.status.completed : L.status.deadlock, !finishing);
      return;
    }
    handTo(next);
    if (!finishing) awaitTurn();
  }

  function record(kind: number, buffer: number, index: number, value: number, extra: number): void {
    const sequence = ++ctl[H.traceCount];
    const entry = L.traceBase + ((sequence - 1) % L.traceEntries) * L.traceStride;
    ctl[entry] = sequence;
    ctl[entry + 1] = me;
    ctl[entry + 2] = kind;
    ctl[entry + 3] = buffer;
    ctl[entry + 4] = index;
    ctl[entry + 5] = value;
    ctl[entry + 6] = extra;
  }

  const turns: ControlledTurns = {
    step() {
      // A finished thread holds no turn (e.g. a getter run while its result is copied out): refuse.
      if (ctl[cell(me, T.state)] === L.state.finished) throw new NativeError('this thread has finished');
      const steps = ++ctl[H.steps];
      ctl[cell(me, T.steps)]++;
      if (steps > ctl[H.maxSteps]) end(L.status.stepLimit, true);
      for (let i = 0; i < ctl[H.changeCount]; i++) {
        const at = L.changeBase + i * L.changeStride;
        if (ctl[at] === steps) ctl[cell(me, T.priority)] = ctl[at + 1];
      }
      if (ctl[H.lastActor] === me) ctl[H.runLength]++;
      else {
        ctl[H.lastActor] = me;
        ctl[H.runLength] = 1;
      }
      // A thread that spins keeps the highest priority forever under PCT: demote it so the thread it
      // waits for gets to move (a bounded spin before sleeping stays far below the limit).
      if (ctl[H.strategy] === L.strategy.pct && ctl[H.runLength] >= ctl[H.spinLimit]) {
        ctl[cell(me, T.priority)] = ctl[H.nextLowPriority]--;
        ctl[H.runLength] = 0;
      }
      passTurn(false);
    },
    record,
    sleep(key, byteIndex, elementBytes, expected, timeoutMs) {
      ctl[cell(me, T.state)] = L.state.blocked;
      ctl[cell(me, T.waitBuffer)] = key;
      ctl[cell(me, T.waitIndex)] = byteIndex;
      ctl[cell(me, T.waitElementBytes)] = elementBytes;
      ctl[cell(me, T.waitExpected)] = expected;
      ctl[cell(me, T.waitSequence)] = ++ctl[H.waitSequence];
      ctl[cell(me, T.wake)] = L.wake.none;
      const until = ctl[H.virtualMs] + ceil(timeoutMs);
      ctl[cell(me, T.timeoutAt)] =
        timeoutMs === Infinity ? -1 : until < MAX_VIRTUAL_MS ? until : MAX_VIRTUAL_MS;
      passTurn(false);
      const woken = ctl[cell(me, T.wake)] === L.wake.notified;
      ctl[cell(me, T.timeoutAt)] = -1;
      ctl[cell(me, T.wake)] = L.wake.none;
      return woken ? 'ok' : 'timed-out';
    },
    wake(key, byteIndex, count) {
      let woken = 0;
      while (woken < count) {
        let first = -1;
        for (let thread = 0; thread < ctl[H.threads]; thread++) {
          if (ctl[cell(thread, T.state)] !== L.state.blocked) continue;
          if (ctl[cell(thread, T.waitBuffer)] !== key || ctl[cell(thread, T.waitIndex)] !== byteIndex)
            continue;
          if (first < 0 || ctl[cell(thread, T.waitSequence)] < ctl[cell(first, T.waitSequence)])
            first = thread;
        }
        if (first < 0) break;
        ctl[cell(first, T.state)] = L.state.ready;
        ctl[cell(first, T.wake)] = L.wake.notified;
        woken++;
      }
      return woken;
    },
    point(code, arg) {
      turns.step();
      record(L.kind.point, -1, code, arg, 0);
    },
    finish() {
      ctl[cell(me, T.state)] = L.state.finished;
      ctl[H.finished]++;
      record(L.kind.finish, -1, 0, 0, 0);
      passTurn(true);
    },
    arriveAndWait(cells, arrived, go) {
      apply(nativeAdd, Atomics, [cells, arrived, 1]);
      apply(nativeNotify, Atomics, [cells, arrived]);
      apply(nativeWait, Atomics, [cells, go, 0]);
      awaitTurn();
    },
    virtualNow() {
      return ctl[H.virtualMs] + ctl[H.steps] / 1000;
    },
  };
  return turns;
}
