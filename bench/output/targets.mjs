// The targets, each checked against figures from this one run.

/**
 * @returns {{ target: string, measured: string, met: boolean }[]}
 */
export function checkTargets({ throughput, isolation, micro, drain, memory }) {
  const added = (name) => micro[name].addedNs.median;
  const rps = (name) => throughput[name].rpsRatio.median;
  const p99 = (name) => isolation[name].p99Ratio.median;
  const p50 = (name) => isolation[name].p50.median;
  const cpuDelayMs = p50('fire-and-forget-cpu') - p50('bare');
  const growth = memory['ours-one'].growth / 1024 / 1024;

  return [
    check('no task: added cost < 300 ns/request', added('ours-none') < 300, [
      `${added('ours-none').toFixed(0)} ns`,
    ]),
    check('one task: added cost < 1,200 ns/request', added('ours-one') < 1200, [
      `${added('ours-one').toFixed(0)} ns`,
    ]),
    check(
      'one task: at most half of on-finished',
      added('ours-one') <= added('on-finished') / 2,
      [
        `${added('ours-one').toFixed(0)} ns vs ` +
          `${added('on-finished').toFixed(0)} / 2`,
      ],
    ),
    check(
      'throughput ratio ≥ 0.98 (no task, one task)',
      rps('ours-none') >= 0.98 && rps('ours-one') >= 0.98,
      [rps('ours-none').toFixed(3), rps('ours-one').toFixed(3)],
    ),
    check(
      'p99 with a slow task ≤ 1.25 × bare (50 ms sleep, 2 ms CPU)',
      p99('ours-sleep') <= 1.25 && p99('ours-cpu') <= 1.25,
      [p99('ours-sleep').toFixed(2), p99('ours-cpu').toFixed(2)],
    ),
    check(
      'fire-and-forget CPU work shows in its p50 (≥ 1.5 ms more)',
      cpuDelayMs >= 1.5,
      [`+${cpuDelayMs.toFixed(2)} ms`],
    ),
    check('runAll() ≤ 1.5 × the bare loop', drain.ratio.median <= 1.5, [
      `${drain.ratio.median.toFixed(2)} ×`,
      `${drain.ratioAls.median.toFixed(2)} × with AsyncLocalStorage on`,
    ]),
    check('heap growth < 5 MB', growth < 5, [`${growth.toFixed(2)} MB`]),
  ];
}

function check(target, met, measured) {
  return { target, measured: measured.join(', '), met };
}
