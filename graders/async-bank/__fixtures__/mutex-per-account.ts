// Correct: a hand-written mutex per account (a flag and a queue of waiters), released in finally;
// transfers take the two locks in name order.
export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

export class Bank {
  private readonly mutexes: Record<string, Mutex> = {};
  constructor(private readonly store: Store) {}

  private mutex(account: string): Mutex {
    return (this.mutexes[account] ??= new Mutex());
  }

  private async holding<T>(accounts: string[], task: () => Promise<T>): Promise<T> {
    const ordered = [...accounts].sort();
    for (const account of ordered) await this.mutex(account).lock();
    try {
      return await task();
    } finally {
      for (const account of ordered.reverse()) this.mutex(account).unlock();
    }
  }

  deposit(account: string, amount: number): Promise<void> {
    return this.holding([account], async () => {
      const balance = await this.store.read(account);
      await this.store.write(account, balance + amount);
    });
  }

  withdraw(account: string, amount: number): Promise<boolean> {
    return this.holding([account], async () => {
      const balance = await this.store.read(account);
      if (balance < amount) return false;
      await this.store.write(account, balance - amount);
      return true;
    });
  }

  transfer(from: string, to: string, amount: number): Promise<boolean> {
    return this.holding([from, to], async () => {
      const fromBalance = await this.store.read(from);
      if (fromBalance < amount) return false;
      const toBalance = await this.store.read(to);
      await this.store.write(to, toBalance + amount);
      await this.store.write(from, fromBalance - amount);
      return true;
    });
  }
}
