// Correct, and slow: one lock for the whole bank, so operations run one at a time.
export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

export class Bank {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly store: Store) {}

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  deposit(account: string, amount: number): Promise<void> {
    return this.serially(async () => this.store.write(account, (await this.store.read(account)) + amount));
  }

  withdraw(account: string, amount: number): Promise<boolean> {
    return this.serially(async () => {
      const balance = await this.store.read(account);
      if (balance < amount) return false;
      await this.store.write(account, balance - amount);
      return true;
    });
  }

  transfer(from: string, to: string, amount: number): Promise<boolean> {
    return this.serially(async () => {
      const [fromBalance, toBalance] = await Promise.all([this.store.read(from), this.store.read(to)]);
      if (fromBalance < amount) return false;
      await Promise.all([
        this.store.write(from, fromBalance - amount),
        this.store.write(to, toBalance + amount),
      ]);
      return true;
    });
  }
}
