/**
 * RUNS INSIDE EACH THREAD'S ISOLATE (worker_threads runtime), before the submission loads.
 *
 * V8 has no `URL`; Node does, and the course's pattern `new Worker(new URL(import.meta.url))`
 * needs one. This is a small WHATWG-shaped URL for absolute URLs and paths resolved against a
 * base (no percent-encoding rules, no URLSearchParams): enough for `file:` URLs and plain
 * `https:` ones. Stringified: it may use only built-ins, captured first.
 */
export function createUrlClass(): unknown {
  'use strict';
  const apply = Reflect.apply;
  const exec = RegExp.prototype.exec;
  const indexOf = String.prototype.indexOf;
  const lastIndexOf = String.prototype.lastIndexOf;
  const slice = String.prototype.slice;
  const split = String.prototype.split;
  const toLowerCase = String.prototype.toLowerCase;
  const toText = String;
  const NativeTypeError = TypeError;
  const defineProperty = Object.defineProperty;
  const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/;

  interface Parts {
    protocol: string;
    host: string;
    pathname: string;
    search: string;
    hash: string;
  }

  function invalid(input: string): never {
    const error = new NativeTypeError('Invalid URL');
    defineProperty(error, 'code', { value: 'ERR_INVALID_URL', writable: true, configurable: true });
    defineProperty(error, 'input', { value: input, writable: true, configurable: true });
    throw error;
  }

  function parseAbsolute(text: string): Parts | null {
    const match = apply(exec, ABSOLUTE, [text]) as string[] | null;
    if (match === null) return null;
    const protocol = apply(toLowerCase, match[1], []) as string;
    const special = protocol === 'file:' || protocol === 'http:' || protocol === 'https:';
    return {
      protocol,
      host: match[2] ?? '',
      pathname: normalise(match[3] === '' && special ? '/' : match[3]),
      search: match[4] === '?' ? '' : (match[4] ?? ''),
      hash: match[5] === '#' ? '' : (match[5] ?? ''),
    };
  }

  /** Removes `.` and `..` segments, as the URL standard does for hierarchical paths. */
  function normalise(path: string): string {
    if (apply(indexOf, path, ['/']) !== 0) return path;
    const segments = apply(split, path, ['/']) as string[];
    const kept: string[] = [];
    let count = 0;
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i];
      const last = i === segments.length - 1;
      if (segment === '..') {
        if (count > 0) count--;
        if (last) kept[count++] = '';
      } else if (segment === '.') {
        if (last) kept[count++] = '';
      } else kept[count++] = segment;
    }
    let result = '';
    for (let i = 0; i < count; i++) result += '/' + kept[i];
    return result === '' ? '/' : result;
  }

  function resolve(reference: string, base: Parts): Parts {
    const [withoutHash, hash] = splitOnce(reference, '#');
    const [path, search] = splitOnce(withoutHash, '?');
    if (apply(indexOf, path, ['//']) === 0) return parseAbsolute(base.protocol + reference)!;
    const keep = { protocol: base.protocol, host: base.host, hash: hash === undefined ? '' : '#' + hash };
    if (path === '')
      return { ...keep, pathname: base.pathname, search: search === undefined ? base.search : '?' + search };
    const directory = apply(slice, base.pathname, [0, apply(lastIndexOf, base.pathname, ['/']) + 1]);
    const joined = apply(indexOf, path, ['/']) === 0 ? path : directory + path;
    return { ...keep, pathname: normalise(joined), search: search === undefined ? '' : '?' + search };
  }

  function splitOnce(text: string, separator: string): [string, string | undefined] {
    const at = apply(indexOf, text, [separator]) as number;
    if (at < 0) return [text, undefined];
    return [apply(slice, text, [0, at]) as string, apply(slice, text, [at + 1]) as string];
  }

  const partsOf = new WeakMap<object, Parts>();
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const read = (url: object): Parts => {
    const parts = apply(weakMapGet, partsOf, [url]) as Parts | undefined;
    if (parts === undefined) throw new NativeTypeError('Receiver must be a URL');
    return parts;
  };

  class URL {
    constructor(input: unknown, base?: unknown) {
      const text = toText(input);
      let parts = parseAbsolute(text);
      if (parts === null) {
        if (base === undefined) invalid(text);
        const baseParts = parseAbsolute(toText(base));
        if (baseParts === null || (baseParts.host === '' && baseParts.protocol !== 'file:')) invalid(text);
        parts = resolve(text, baseParts);
      }
      apply(weakMapSet, partsOf, [this, parts]);
    }
    get protocol(): string {
      return read(this).protocol;
    }
    get host(): string {
      return read(this).host;
    }
    get hostname(): string {
      const host = read(this).host;
      const colon = apply(lastIndexOf, host, [':']) as number;
      return colon < 0 ? host : (apply(slice, host, [0, colon]) as string);
    }
    get origin(): string {
      const { protocol, host } = read(this);
      return protocol === 'file:' ? 'null' : protocol + '//' + host;
    }
    get pathname(): string {
      return read(this).pathname;
    }
    get search(): string {
      return read(this).search;
    }
    get hash(): string {
      return read(this).hash;
    }
    get href(): string {
      const { protocol, host, pathname, search, hash } = read(this);
      const authority = host !== '' || protocol === 'file:' ? '//' + host : '';
      return protocol + authority + pathname + search + hash;
    }
    toString(): string {
      return this.href;
    }
    toJSON(): string {
      return this.href;
    }
  }
  return URL;
}
