// expect-fail: forks-released
// Mistake: releases the forks only "before the next meal", so after the last meal the philosopher
// returns still holding both of them.
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
  const second = Math.max(seat, (seat + 1) % seats);
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) {
      forks.release(second);
      forks.release(first);
      think();
    }
    forks.acquire(first);
    forks.acquire(second);
    eat();
  }
}
