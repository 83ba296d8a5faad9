import { isAllocationFailure, thrownErrorVerdict } from './thrown-error-verdict';

describe('thrownErrorVerdict', () => {
  it('is memory_limit for the RangeError of a buffer the isolate could not hold', () => {
    const verdict = thrownErrorVerdict(
      'fetchAll() failed',
      'RangeError: Array buffer allocation failed',
      64,
      {
        line: 3,
        column: 9,
      },
    );
    expect(verdict).toMatchObject({
      status: 'memory_limit',
      message:
        'fetchAll() failed: RangeError: Array buffer allocation failed (it asked for more than the 64 MB of memory it may use)',
      location: { line: 3, column: 9 },
    });
  });

  it.each([
    'RangeError: Invalid array length',
    'RangeError: Invalid typed array length: 100',
    'RangeError: Invalid array buffer length',
    'RangeError: Maximum call stack size exceeded',
    'Error: Array buffer allocation failed',
    'Uncaught "RangeError: Array buffer allocation failed"',
    'RangeError: Array buffer allocation failedness',
  ])('is runtime_error for %s, an ordinary bug or a value that only looks like one', (described) => {
    expect(isAllocationFailure(described)).toBe(false);
    expect(thrownErrorVerdict('uncaught exception in a callback', described, 64).status).toBe(
      'runtime_error',
    );
  });
});
