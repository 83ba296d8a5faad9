import { describeMessagesInSandbox } from '../lib/testing/graded-in-sandbox';

const HOLD = 'with thread 1 holding the lock 3 deep for 200 ms and 2 threads waiting';

describeMessagesInSandbox(
  'reentrant-lock',
  {
    'changes-count-before-owner-check.ts': {
      'release-not-held':
        /^release\(\) by thread 1, which did not hold the lock \(nobody did\), threw as it should, but changed state\[\d\] from 0 to -1 first: a release\(\) that throws must change nothing$/,
    },
    'check-then-set.ts': {
      exclusion:
        /^(lost [\d,]+ of [\d,]+ updates|two threads were inside at once|thread \d threw Error: release\(\) of a lock this thread does not hold)/,
    },
    'index-ignored.ts': {
      'independent-locks':
        /^thread 2's acquire\(\) on the lock at index \d+ did not return while thread 1 held the lock at index \d \(deadlock after [\d,]+ ms\): it waits on state\[0\] == 1, still 1; a ReentrantLock must use only its INTS cells from state\[index\] on$/,
    },
    'no-nesting-count.ts': {
      'nested-acquisition':
        /^thread 1 threw Error: release\(\) of a lock this thread does not hold \(line \d+\) in release\(\) \(holding the lock 1 deep\) while thread 1 acquires the lock 1 to 5 times in a row$/,
      exclusion:
        /^thread [23]'s acquire\(\) returned while thread 1 still held the lock: thread 1 had acquired it 3 times and had not yet begun the last of its 3 release\(\) calls$/,
    },
    'no-owner-check.ts': {
      'release-not-held':
        /^release\(\) by thread 1, which did not hold the lock \(nobody did\), returned instead of throwing an Error/,
    },
    'plain-lock.ts': {
      'nested-acquisition':
        /^thread 1's acquire\(\) did not return when it already held the lock 1 time \(deadlock after [\d,]+ ms\): a thread that holds the lock must get it again at once, but it waits on state\[0\] == 1, still 1$/,
      'finishes-in-time': new RegExp(
        String.raw`^deadlock after [\d,]+ ms ${HOLD}: thread 1 still blocked in its 2nd acquire\(\) in a row \(it already held the lock 1 time\): waits on state\[\d\] == 1, still 1`,
      ),
    },
    'reenters-without-checking-owner.ts': {
      exclusion: /^thread [23]'s acquire\(\) returned while thread 1 still held the lock/,
    },
    'release-never-wakes.ts': {
      'finishes-in-time': new RegExp(
        String.raw`^deadlock after [\d,]+ ms ${HOLD}: thread [23] still blocked in acquire\(\): waits on state\[\d\] == 1, now 0 — nobody woke it \(lost wake-up\)`,
      ),
    },
    'spin-wait.ts': {
      'waiters-sleep':
        /^thread [23] used about [\d,]+ ms of CPU in acquire\(\) while thread 1 held the lock for 200 ms \(at most 66 ms allowed\): a waiting thread must sleep in Atomics\.wait, not spin/,
    },
  },
  {
    'nested-acquisition': /^thread 1 acquired the lock 1 to 5 times in a row and released it as often/,
    exclusion:
      /^[\d,]+ updates under the lock in \d+ runs with 2, 3, 5 threads, none lost; no acquire\(\) returned while another thread held the lock at any level$/,
    'waiters-sleep':
      /^waiting threads used at most \d+ ms of CPU each while thread 1 held the lock for 200 ms$/,
    'finishes-in-time': /^all \d+ runs finished; the longest took [\d,]+ ms$/,
  },
);
