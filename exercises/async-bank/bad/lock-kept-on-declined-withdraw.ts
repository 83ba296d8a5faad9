// expect-fail: operations-finish, large-random
// Mistake: one lock for the whole bank, taken and released by hand; a withdraw that finds too
// little money returns false without releasing it, and every later operation waits forever.
export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

export class Bank {
  private locked = false;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly store: Store) {}

  private async acquire(): Promise<void> {
    while (this.locked) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.locked = true;
  }

  private release(): void {
    this.locked = false;
    this.waiting.shift()?.();
  }

  async deposit(account: string, amount: number): Promise<void> {
    await this.acquire();
    const balance = await this.store.read(account);
    await this.store.write(account, balance + amount);
    this.release();
  }

  async withdraw(account: string, amount: number): Promise<boolean> {
    await this.acquire();
    const balance = await this.store.read(account);
    if (balance < amount) return false;
    await this.store.write(account, balance - amount);
    this.release();
    return true;
  }

  async transfer(from: string, to: string, amount: number): Promise<boolean> {
    await this.acquire();
    try {
      const fromBalance = await this.store.read(from);
      if (fromBalance < amount) return false;
      const toBalance = await this.store.read(to);
      await this.store.write(from, fromBalance - amount);
      await this.store.write(to, toBalance + amount);
      return true;
    } finally {
      this.release();
    }
  }
}
