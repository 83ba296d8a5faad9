// expect-fail: opposite-transfers-finish, operations-finish, large-random
// Mistake: one lock for the whole bank, and transfer, holding it, calls withdraw and deposit, which
// wait for the same lock: the lock is not reentrant, so every transfer waits for itself forever.
export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

export class Bank {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly store: Store) {}

  private locked<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  deposit(account: string, amount: number): Promise<void> {
    return this.locked(async () => {
      await this.store.write(account, (await this.store.read(account)) + amount);
    });
  }

  withdraw(account: string, amount: number): Promise<boolean> {
    return this.locked(async () => {
      const balance = await this.store.read(account);
      if (balance < amount) return false;
      await this.store.write(account, balance - amount);
      return true;
    });
  }

  transfer(from: string, to: string, amount: number): Promise<boolean> {
    return this.locked(async () => {
      if (!(await this.withdraw(from, amount))) return false;
      await this.deposit(to, amount);
      return true;
    });
  }
}
