// expect-fail: finishes-in-time
// Mistake: a waiter reads the generation again just before it sleeps, instead of waiting for the
// value it saw before it arrived. If the last party moves the generation on in between, the waiter
// sleeps on the new value, and nobody will ever move it again for it (a lost wake-up).
export class Barrier {
  static readonly INTS = 2;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    if (Atomics.add(state, index, 1) + 1 === parties) {
      Atomics.store(state, index, 0);
      Atomics.add(state, index + 1, 1);
      Atomics.notify(state, index + 1);
      return true;
    }
    Atomics.wait(state, index + 1, Atomics.load(state, index + 1));
    return false;
  }
}
