/**
 * The one line each drill ends with, the same fields in the same order for every drill, so the
 * runner and docs/reliability.md can quote it:
 *   drill NAME PASS|FAIL | submitted N / acknowledged N / graded N / lost N / duplicated N / recovery X s | figures | failures
 */

const SUMMARY_PREFIX = 'drill ';

function seconds(ms) {
  return ms === undefined || ms === null || !Number.isFinite(ms) ? '-' : `${(ms / 1000).toFixed(1)} s`;
}

function count(value) {
  return value === undefined || value === null ? '-' : String(value);
}

/** `counts`: { submitted, acknowledged, graded, lost, duplicated, recoveryMs }; any may be missing ("-"). */
function formatSummary(drill, counts, failed) {
  const core = [
    `submitted ${count(counts.submitted)}`,
    `acknowledged ${count(counts.acknowledged)}`,
    `graded ${count(counts.graded)}`,
    `lost ${count(counts.lost)}`,
    `duplicated ${count(counts.duplicated)}`,
    `recovery ${seconds(counts.recoveryMs)}`,
  ].join(' / ');
  const figures = [...drill.figures].map(([name, value]) => `${name} ${value}`).join(', ');
  const parts = [
    `${SUMMARY_PREFIX}${drill.name} ${failed ? 'FAIL' : 'PASS'}`,
    core,
    figures,
    `${drill.elapsedS().toFixed(0)} s`,
  ];
  if (drill.failures.length) parts.push(`failed: ${drill.failures.join('; ')}`);
  return parts.filter(Boolean).join(' | ');
}

module.exports = { formatSummary, seconds, SUMMARY_PREFIX };
