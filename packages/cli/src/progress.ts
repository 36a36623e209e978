/**
 * A one-line progress bar on stderr (a line every 10% when stderr is not a
 * terminal). With no total (a run that pages until done) it counts instead.
 */
export function progressBar(total: number | undefined, label: string) {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  const started = Date.now();
  return {
    update(done: number) {
      if (total === undefined) {
        process.stderr.write(tty ? `\r${label}: ${done} so far` : `${label}: ${done} so far\n`);
        return;
      }
      const ratio = total === 0 ? 1 : done / total;
      if (tty) {
        const width = 30;
        const filled = Math.round(ratio * width);
        const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
        process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(0)}/s`);
      } else if (Math.floor(ratio * 10) > lastDecile) {
        lastDecile = Math.floor(ratio * 10);
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    finish() {
      if (tty) process.stderr.write('\n');
    },
  };
}
