export declare class Barrier {
  /** How many Int32 cells of shared memory one barrier uses, starting at `index`. */
  static readonly INTS: number;
  constructor(state: Int32Array, parties: number, index?: number);
  /** Blocks until `parties` threads have called wait() in this round; reusable for any number of rounds; returns true in exactly one thread per round. */
  wait(): boolean;
}
