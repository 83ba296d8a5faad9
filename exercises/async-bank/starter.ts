export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

export class Bank {
  constructor(private readonly store: Store) {}

  // TODO: each method is right when it runs alone, but between the read and the write of an
  // account another operation may read or write the same account. Make each operation hold the
  // accounts it works on, from its first read until its last write has landed.

  /** Adds amount (> 0). */
  async deposit(account: string, amount: number): Promise<void> {
    const balance = await this.store.read(account);
    await this.store.write(account, balance + amount);
  }

  /** Takes amount if the balance covers it and resolves true; otherwise changes nothing and resolves false. */
  async withdraw(account: string, amount: number): Promise<boolean> {
    const balance = await this.store.read(account);
    if (balance < amount) return false;
    await this.store.write(account, balance - amount);
    return true;
  }

  /** Moves amount from one account to another as one step; resolves false, changing nothing, if `from` lacks funds. */
  async transfer(from: string, to: string, amount: number): Promise<boolean> {
    const fromBalance = await this.store.read(from);
    if (fromBalance < amount) return false;
    const toBalance = await this.store.read(to);
    await this.store.write(from, fromBalance - amount);
    await this.store.write(to, toBalance + amount);
    return true;
  }
}
