/** A one-line progress bar with rate and ETA on stderr (plain lines when not a TTY). */
export class ProgressBar {
  private readonly start = Date.now();
  private lastPrint = 0;

  constructor(
    private readonly label: string,
    private total: number,
  ) {}

  update(done: number, extra = '', total = this.total): void {
    this.total = total;
    const now = Date.now();
    const final = done >= this.total;
    const tty = process.stderr.isTTY;
    if (!final && now - this.lastPrint < (tty ? 100 : 5000)) return;
    this.lastPrint = now;
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : Number.NaN;
    const width = 28;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const line = `${this.label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${this.total} ${fmt(elapsed)} elapsed, ETA ${fmt(eta)} ${extra}`;
    if (tty) process.stderr.write(`\r${line.padEnd(process.stderr.columns ?? 120).slice(0, (process.stderr.columns ?? 120) - 1)}${final ? '\n' : ''}`);
    else process.stderr.write(line + '\n');
  }
}

function fmt(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const ss = String(Math.floor(s % 60)).padStart(2, '0');
  return h > 0 ? `${h}:${String(m % 60).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
