import type { PublishedWaitSite } from './thread-evidence-reader';

interface KnownBuffer {
  key: string;
  buffer: SharedArrayBuffer;
  int32: Int32Array;
  bigInt64: BigInt64Array;
}

/**
 * The grader's shared buffers the wait evidence can name: top-level values of `shared` that are a
 * SharedArrayBuffer or a view on one. Each thread gets the same keys in the same order and matches a
 * waited array's buffer against its own copies; the host reads the cells through its own views.
 */
export class GraderSharedBuffers {
  private readonly known: KnownBuffer[];

  constructor(shared: unknown) {
    this.known = [];
    if (typeof shared !== 'object' || shared === null) return;
    for (const [key, value] of Object.entries(shared)) {
      const buffer = sharedBufferOf(value);
      if (!buffer) continue;
      this.known.push({
        key,
        buffer,
        int32: new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4)),
        bigInt64: new BigInt64Array(buffer, 0, Math.floor(buffer.byteLength / 8)),
      });
    }
  }

  /** The keys, in the order the threads number them. */
  keys(): string[] {
    return this.known.map((known) => known.key);
  }

  keyOf(position: number): string | null {
    return this.known[position]?.key ?? null;
  }

  /** The awaited cell's value now, or null when the buffer is not the grader's. */
  currentValue(site: PublishedWaitSite): number | null {
    const known = this.known[site.buffer];
    if (!known) return null;
    if (site.elementBytes === 8) return Number(Atomics.load(known.bigInt64, site.index));
    return Atomics.load(known.int32, site.index);
  }

  /** A copy of every grader buffer: the watchdog's progress counter. */
  snapshot(): Buffer[] {
    return this.known.map((known) => Buffer.from(new Uint8Array(known.buffer).slice()));
  }
}

export function sameSnapshot(a: Buffer[], b: Buffer[]): boolean {
  return a.length === b.length && a.every((bytes, i) => bytes.equals(b[i]));
}

function sharedBufferOf(value: unknown): SharedArrayBuffer | undefined {
  if (value instanceof SharedArrayBuffer) return value;
  if (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer) return value.buffer;
  return undefined;
}
