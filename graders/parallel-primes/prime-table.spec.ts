import { PrimeTable } from './prime-table';

describe('PrimeTable', () => {
  const table = new PrimeTable(5_000_000);

  it('knows the primes at the edges: 0 and 1 are not, 2 and 3 are', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 97, 7919].map((n) => table.isPrime(n))).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
  });

  it.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 1],
    [4, 2],
    [10, 4],
    [11, 4],
    [12, 5],
    [100, 25],
    [1_000_000, 78_498],
    [5_000_000, 348_513],
  ])('counts the primes below %i: %i', (limit, count) => {
    expect(table.countBelow(limit)).toBe(count);
  });

  it('refuses numbers outside the table', () => {
    expect(() => new PrimeTable(10).isPrime(11)).toThrow(RangeError);
  });
});
