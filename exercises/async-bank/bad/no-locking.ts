// expect-fail: no-lost-deposit, balances-match-outcomes, transfers-conserve-money, large-random
// Mistake: no lock at all. Two operations on one account both read the old balance before either
// writes, and the second write overwrites the first (a lost update).
export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

export class Bank {
  constructor(private readonly store: Store) {}

  async deposit(account: string, amount: number): Promise<void> {
    const balance = await this.store.read(account);
    await this.store.write(account, balance + amount);
  }

  async withdraw(account: string, amount: number): Promise<boolean> {
    const balance = await this.store.read(account);
    if (balance < amount) return false;
    await this.store.write(account, balance - amount);
    return true;
  }

  async transfer(from: string, to: string, amount: number): Promise<boolean> {
    const fromBalance = await this.store.read(from);
    if (fromBalance < amount) return false;
    const toBalance = await this.store.read(to);
    await this.store.write(from, fromBalance - amount);
    await this.store.write(to, toBalance + amount);
    return true;
  }
}
