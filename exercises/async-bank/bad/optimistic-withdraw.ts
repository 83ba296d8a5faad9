// expect-fail: no-overdraft, large-random
// Mistake: withdraw subtracts first and puts the money back if the result is negative. The
// balance is below zero in the store for a while, where anyone may see it.
export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

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

  private lockOf(account: string): AsyncLock {
    if (!this.locks.has(account)) this.locks.set(account, new AsyncLock());
    return this.locks.get(account)!;
  }

  deposit(account: string, amount: number): Promise<void> {
    return this.lockOf(account).run(async () => {
      await this.store.write(account, (await this.store.read(account)) + amount);
    });
  }

  withdraw(account: string, amount: number): Promise<boolean> {
    return this.lockOf(account).run(async () => {
      const after = (await this.store.read(account)) - amount;
      await this.store.write(account, after);
      if (after >= 0) return true;
      await this.store.write(account, after + amount);
      return false;
    });
  }

  transfer(from: string, to: string, amount: number): Promise<boolean> {
    const [first, second] = [from, to].sort();
    return this.lockOf(first).run(() =>
      this.lockOf(second).run(async () => {
        const fromBalance = await this.store.read(from);
        if (fromBalance < amount) return false;
        const toBalance = await this.store.read(to);
        await this.store.write(from, fromBalance - amount);
        await this.store.write(to, toBalance + amount);
        return true;
      }),
    );
  }
}
