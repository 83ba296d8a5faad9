/**
 * Regression guard for isolated-vm 5.0.4's heap corruption: a SharedArrayBuffer made inside an
 * isolate that is disposed while another isolate still holds the buffer
 * (probe-shared-buffer-outlives-maker.ts). On 5.0.4, 100 rounds crashed 8 processes of 16 and 400
 * rounds 9 of 10; the two 400-round processes here would all have survived with a chance of
 * about 1 in 250 (0.5 ^ 8). The runtime no longer allocates every SharedArrayBuffer on the host
 * because of this test; if it fails, that workaround has to come back (docs/threads.md).
 */
import { watchProbe } from './__fixtures__/probe-in-child';

const ROUNDS = 400;
const PROCESSES = 2;

describe('a SharedArrayBuffer that outlives the isolate that made it', () => {
  it(`survives ${ROUNDS} rounds of make, share, dispose the maker, use, dispose, in ${PROCESSES} processes`, async () => {
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        watchProbe('probe-shared-buffer-outlives-maker', [String(ROUNDS)], {
          nodeFlags: ['--expose-gc'],
          hardTimeoutMs: 90_000,
          quietMs: 10_000,
        }),
      ),
    );
    for (const run of runs) {
      expect({ end: run.end, stdout: run.stdout, stderr: run.stderr.slice(0, 2000) }).toEqual({
        end: { code: 0, signal: null },
        stdout: `ok ${ROUNDS}\n`,
        stderr: '',
      });
    }
  }, 120_000);
});
