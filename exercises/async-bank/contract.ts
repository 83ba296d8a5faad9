export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}
export declare class Bank {
  constructor(store: Store);
  /** Adds amount (> 0). */
  deposit(account: string, amount: number): Promise<void>;
  /** Takes amount if the balance covers it and resolves true; otherwise changes nothing and resolves false. */
  withdraw(account: string, amount: number): Promise<boolean>;
  /** Moves amount from one account to another as one step; resolves false, changing nothing, if `from` lacks funds. */
  transfer(from: string, to: string, amount: number): Promise<boolean>;
}
