// expect-fail: no-deadlock, finishes-in-time
// Mistake: a copy-paste slip computes the second fork with Math.min as well, so each philosopher
// asks for the fork it already holds and waits for itself for ever.
export interface Forks {
  acquire(fork: number): void;
  release(fork: number): void;
}

export function philosopher(
  seat: number,
  seats: number,
  forks: Forks,
  meals: number,
  eat: () => void,
  think: () => void,
): void {
  const first = Math.min(seat, (seat + 1) % seats);
  const second = Math.min(seat, (seat + 1) % seats);
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    forks.acquire(first);
    forks.acquire(second);
    eat();
    forks.release(second);
    forks.release(first);
  }
}
