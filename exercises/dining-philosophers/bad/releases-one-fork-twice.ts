// expect-fail: forks-released, meals
// Mistake: a copy-paste slip releases the first fork twice and never the second: the second
// release() is of a fork the philosopher no longer holds, and throws.
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
    if (meal > 0) think();
    forks.acquire(first);
    forks.acquire(second);
    eat();
    forks.release(first);
    forks.release(first);
  }
}
