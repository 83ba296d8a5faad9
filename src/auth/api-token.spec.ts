import {
  apiTokenDisplayPrefix,
  generateApiToken,
  hashApiToken,
  looksLikeApiToken,
  sameTokenHash,
} from './api-token';

describe('api tokens', () => {
  it('are lst_ followed by 32 random bytes in base64url, never twice the same', () => {
    const token = generateApiToken();
    expect(token).toMatch(/^lst_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(generateApiToken()).not.toBe(token);
    expect(looksLikeApiToken(token)).toBe(true);
    expect(looksLikeApiToken('lst_short')).toBe(false);
  });

  it('are stored as their sha256 hex and shown by a short prefix only', () => {
    expect(hashApiToken('lst_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(apiTokenDisplayPrefix('lst_ABCDEFGHIJKLMNOP')).toBe('lst_ABCDEFGH');
  });

  it('compares hashes in constant time and rejects different lengths', () => {
    const hash = hashApiToken('lst_x');
    expect(sameTokenHash(hash, hashApiToken('lst_x'))).toBe(true);
    expect(sameTokenHash(hash, hashApiToken('lst_y'))).toBe(false);
    expect(sameTokenHash(hash, hash.slice(0, 10))).toBe(false);
  });
});
