export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

/**
 * A first-come, first-served lock on the event loop: each task starts once every task queued before
 * it has finished, whether it resolved or rejected.
 */
class AsyncLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class Bank {
  private readonly locks = new Map<string, AsyncLock>();

  constructor(private readonly store: Store) {}

  /** Adds amount (> 0). */
  deposit(account: string, amount: number): Promise<void> {
    return this.holding([account], async () => {
      const balance = await this.store.read(account);
      await this.store.write(account, balance + amount);
    });
  }

  /** Takes amount if the balance covers it and resolves true; otherwise changes nothing and resolves false. */
  withdraw(account: string, amount: number): Promise<boolean> {
    return this.holding([account], async () => {
      const balance = await this.store.read(account);
      if (balance < amount) return false;
      await this.store.write(account, balance - amount);
      return true;
    });
  }

  /** Moves amount from one account to another as one step; resolves false, changing nothing, if `from` lacks funds. */
  transfer(from: string, to: string, amount: number): Promise<boolean> {
    return this.holding([from, to], async () => {
      const fromBalance = await this.store.read(from);
      if (fromBalance < amount) return false;
      const toBalance = await this.store.read(to);
      await this.store.write(from, fromBalance - amount);
      await this.store.write(to, toBalance + amount);
      return true;
    });
  }

  /**
   * Runs task while holding the lock of every account named. The locks are always taken in one
   * order (sorted by name): two transfers in opposite directions then queue for the same first
   * lock, instead of each holding one account and waiting forever for the other's.
   */
  private holding<T>(accounts: string[], task: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(accounts)].sort();
    if (first === undefined) return task();
    return this.lockOf(first).run(() => this.holding(rest, task));
  }

  private lockOf(account: string): AsyncLock {
    let lock = this.locks.get(account);
    if (!lock) {
      lock = new AsyncLock();
      this.locks.set(account, lock);
    }
    return lock;
  }
}
