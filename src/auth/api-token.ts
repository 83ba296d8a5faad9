import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every Lockstep token starts so, which makes a leaked one easy to recognize (and to scan for). */
export const API_TOKEN_PREFIX = 'lst_';
/** Characters of the plain token kept for display: the prefix and 8 random characters. */
const DISPLAY_LENGTH = API_TOKEN_PREFIX.length + 8;

/** A new bearer token: `lst_` and 32 random bytes in base64url (43 characters). */
export function generateApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token: sha256, hex. A stolen table grants nothing. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The start of a token, enough to tell a user's tokens apart and too short to use. */
export function apiTokenDisplayPrefix(token: string): string {
  return token.slice(0, DISPLAY_LENGTH);
}

/** Cheap shape check before hashing and a database lookup. */
export function looksLikeApiToken(value: string): boolean {
  return /^lst_[A-Za-z0-9_-]{43}$/.test(value);
}

/** Compares two hex digests in constant time, so timing never reveals how much of a hash matched. */
export function sameTokenHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
