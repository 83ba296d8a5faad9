/**
 * What every sandbox context lacks (isolate/uncounted-memory.ts), checked in a real 64 MB isolate
 * through a child `node --no-node-snapshot` (isolated-vm cannot load inside Jest), in a context made
 * each way (sync and async). The hostile-input suite grades the same bombs through the pool.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const PROBE = resolve(__dirname, '../../dist/src/sandbox/__fixtures__/probe-sandbox-context.js');

const PROBES = {
  resizableIgnored: `(() => { const b = new ArrayBuffer(8, { maxByteLength: 1 << 28 });
    return [b.byteLength, b.resizable, b.maxByteLength, typeof b.resize, 'resize' in ArrayBuffer.prototype]; })()`,
  growableIgnored: `(() => { const b = new SharedArrayBuffer(8, { maxByteLength: 1 << 28 });
    return [b.byteLength, b.growable, b.maxByteLength, typeof b.grow, 'grow' in SharedArrayBuffer.prototype]; })()`,
  resize: 'new ArrayBuffer(8, { maxByteLength: 1 << 28 }).resize(1 << 28)',
  grow: 'new SharedArrayBuffer(8, { maxByteLength: 1 << 28 }).grow(1 << 28)',
  reachArounds: `(() => {
    const options = { maxByteLength: 64 };
    class Sub extends ArrayBuffer {}
    class SharedSub extends SharedArrayBuffer {}
    return [
      Reflect.construct(ArrayBuffer, [8, options]),
      new (new Uint8Array(1).buffer.constructor)(8, options),
      new (Object.getPrototypeOf(new Uint8Array(1).buffer).constructor)(8, options),
      new Sub(8, options),
      Reflect.construct(SharedArrayBuffer, [8, options]),
      new (new Int32Array(new SharedArrayBuffer(4)).buffer.constructor)(8, options),
      new SharedSub(8, options),
      new ArrayBuffer(8, options).transfer(16),
    ].map((b) => b.resizable === true || b.growable === true);
  })()`,
  subclassesKeepTheirPrototype: `(() => { class Sub extends ArrayBuffer {} return new Sub(4) instanceof Sub; })()`,
  builtInShape: `[ArrayBuffer.name, ArrayBuffer.length, ArrayBuffer.isView(new Uint8Array(1)), new ArrayBuffer(4) instanceof ArrayBuffer,
    ArrayBuffer[Symbol.species] === ArrayBuffer, new ArrayBuffer(8).slice(2).byteLength, new Uint8Array(4).buffer.constructor === ArrayBuffer,
    new ArrayBuffer().byteLength, Object.keys(globalThis).includes('ArrayBuffer'), SharedArrayBuffer.name, new SharedArrayBuffer(8).slice(4).byteLength]`,
  callWithoutNew: 'ArrayBuffer(8)',
  bigIntLength: 'new ArrayBuffer(1n)',
  negativeLength: 'new ArrayBuffer(-1)',
  transferWithinLimit:
    '[new ArrayBuffer(8).transfer(1024).byteLength, new ArrayBuffer(8).transferToFixedLength(1024).byteLength]',
  transferPastLimit: 'new ArrayBuffer(8).transfer(2.5e8)',
  transferToFixedLengthPastLimit: 'new ArrayBuffer(8, { maxByteLength: 2.5e8 }).transferToFixedLength(2.5e8)',
  webAssembly: 'typeof WebAssembly',
};

describe('a sandbox context', () => {
  let probed: Record<'sync' | 'async', Record<keyof typeof PROBES, unknown>>;

  beforeAll(() => {
    probed = JSON.parse(
      execFileSync(process.execPath, ['--no-node-snapshot', PROBE, JSON.stringify(PROBES)], {
        encoding: 'utf8',
      }),
    ) as typeof probed;
  });

  describe.each(['sync', 'async'] as const)('made the %s way', (how) => {
    const value = (name: keyof typeof PROBES) => probed[how][name];

    it('makes only fixed-length buffers: maxByteLength is ignored and there is no resize() or grow()', () => {
      expect(value('resizableIgnored')).toEqual([8, false, 8, 'undefined', false]);
      expect(value('growableIgnored')).toEqual([8, false, 8, 'undefined', false]);
      expect(value('resize')).toMatch(/^threw TypeError: .*resize is not a function/);
      expect(value('grow')).toMatch(/^threw TypeError: .*grow is not a function/);
    });

    it('leaves no way around it: other routes to the constructor, subclasses, transfer', () => {
      expect(value('reachArounds')).toEqual([false, false, false, false, false, false, false, false]);
      expect(value('subclassesKeepTheirPrototype')).toBe(true);
    });

    it('keeps the rest of the built-in as it was', () => {
      expect(value('builtInShape')).toEqual([
        'ArrayBuffer',
        1,
        true,
        true,
        true,
        6,
        true,
        0,
        false,
        'SharedArrayBuffer',
        4,
      ]);
      expect(value('callWithoutNew')).toBe("threw TypeError: Constructor ArrayBuffer requires 'new'");
      expect(value('bigIntLength')).toBe('threw TypeError: Cannot convert a BigInt value to a number');
      expect(value('negativeLength')).toMatch(/^threw RangeError: Invalid array buffer length/);
    });

    it("counts transfer()'s memory against the isolate's limit (64 MB here)", () => {
      expect(value('transferWithinLimit')).toEqual([1024, 1024]);
      expect(value('transferPastLimit')).toBe('threw RangeError: Array buffer allocation failed');
      expect(value('transferToFixedLengthPastLimit')).toBe(
        'threw RangeError: Array buffer allocation failed',
      );
    });

    it('has no WebAssembly, whose memories are not counted either', () => {
      expect(value('webAssembly')).toBe('undefined');
    });
  });
});
