/** The grader's locks: acquire(i) blocks until fork i is held by the caller; release(i) gives it back. */
export interface Forks {
  acquire(fork: number): void;
  release(fork: number): void;
}

/** One philosopher: `meals` times, hold forks `seat` and `(seat + 1) % seats` together and call eat(); call think() between meals; release every fork before returning. */
export declare function philosopher(
  seat: number,
  seats: number,
  forks: Forks,
  meals: number,
  eat: () => void,
  think: () => void,
): void;
