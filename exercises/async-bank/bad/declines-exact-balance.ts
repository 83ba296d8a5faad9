// expect-fail: withdraw-when-covered
// Mistake: `balance > amount` instead of `>=`: a withdrawal of exactly the whole balance is
// declined although the balance covers it.
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
      const balance = await this.store.read(account);
      if (!(balance > amount)) return false;
      await this.store.write(account, balance - amount);
      return true;
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
