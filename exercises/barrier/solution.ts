// The barrier's cells: state[index] counts the parties that have arrived in this round;
// state[index + 1] is the round's number (its generation). Waiters sleep on the generation, which
// the last party to arrive moves on: a thread that arrives for the next round cannot be confused
// with one still leaving this one, because they wait for different generations.
const ARRIVED = 0;
const GENERATION = 1;
/** A short bounded spin before sleeping: with few parties the last one is often just behind. */
const SPINS = 100;

export class Barrier {
  /** How many Int32 cells of shared memory one barrier uses, starting at `index`. */
  static readonly INTS = 2;

  private readonly state: Int32Array;
  private readonly parties: number;
  private readonly arrived: number;
  private readonly generation: number;

  constructor(state: Int32Array, parties: number, index = 0) {
    this.state = state;
    this.parties = parties;
    this.arrived = index + ARRIVED;
    this.generation = index + GENERATION;
  }

  /** Blocks until `parties` threads have called wait() in this round; reusable for any number of rounds; returns true in exactly one thread per round. */
  wait(): boolean {
    const { state, arrived, generation } = this;
    // Read before arriving: the round cannot end, nor the generation move, until this thread arrives.
    const round = Atomics.load(state, generation);
    if (Atomics.add(state, arrived, 1) + 1 === this.parties) {
      // The last to arrive resets the count before it opens the round, so nobody of the next
      // round can count in before the reset.
      Atomics.store(state, arrived, 0);
      Atomics.add(state, generation, 1);
      Atomics.notify(state, generation);
      return true;
    }
    for (let spin = 0; Atomics.load(state, generation) === round; spin++) {
      if (spin >= SPINS) Atomics.wait(state, generation, round);
    }
    return false;
  }
}
