import { describeValue, formatCount, formatMs, formatSpeedup, listSome, ordinal, plural } from './format';

describe('message formatting', () => {
  it('groups thousands with commas the same way on every host', () => {
    expect(formatCount(6214)).toBe('6,214');
    expect(formatCount(400000)).toBe('400,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-1234567)).toBe('-1,234,567');
    expect(formatCount(1840.5)).toBe('1,840.5');
  });

  it('writes durations in milliseconds and speedups with one decimal', () => {
    expect(formatMs(1840)).toBe('1,840 ms');
    expect(formatSpeedup(2310, 480)).toBe('4.8x');
    expect(formatSpeedup(500, 500)).toBe('1.0x');
  });

  it('pluralises and shortens long lists', () => {
    expect(plural(1, 'fetch', 'fetches')).toBe('1 fetch');
    expect(plural(4, 'fetch', 'fetches')).toBe('4 fetches');
    expect(listSome(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(listSome(['a', 'b'])).toBe('a, b');
  });

  it('describes values briefly', () => {
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ url: 'u', ok: true })).toBe('{"url":"u","ok":true}');
    expect(describeValue('y'.repeat(200)).length).toBe(80);
  });

  it('writes ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '112th',
    ]);
  });
});
