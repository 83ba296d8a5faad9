// expect-fail: meals
// Mistake: "holding one fork is enough not to deadlock": takes only its own fork and eats, so two
// neighbours eat with the fork between them at the same time.
export interface Forks {
  acquire(fork: number): void;
  release(fork: number): void;
}

export function philosopher(
  seat: number,
  _seats: number,
  forks: Forks,
  meals: number,
  eat: () => void,
  think: () => void,
): void {
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    forks.acquire(seat);
    eat();
    forks.release(seat);
  }
}
