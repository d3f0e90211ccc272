// Preloaded into a measured process (node --require): reports its peak RSS, in kB, when it exits.
// VmHWM, not resourceUsage().maxRSS: on Linux maxRSS survives exec, so a child forked from a large
// parent (the bench itself) would report at least the parent's size.
const { readFileSync, writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (!process.env.BENCH_PEAK_RSS_FILE) return;
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(process.env.BENCH_PEAK_RSS_FILE, hwm ? hwm[1] : String(process.resourceUsage().maxRSS));
});
