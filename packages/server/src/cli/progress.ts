/** A one-line progress bar on a terminal; occasional plain lines when output is piped (CI, logs). */
export class ProgressBar {
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly started = performance.now();
  /** Rates are per step: a new label starts a new step. */
  private stepStarted = performance.now();

  constructor(
    private label: string,
    private total: number | null = null,
  ) {}

  update(done: number, label = this.label, total = this.total): void {
    if (label !== this.label) this.stepStarted = performance.now();
    this.label = label;
    this.total = total;
    const now = performance.now();
    if (now - this.lastDraw < (this.tty ? 100 : 2000)) return;
    this.lastDraw = now;
    this.draw(done);
  }

  finish(message: string): void {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    process.stderr.write(`${message} (${seconds} s)\n`);
  }

  private draw(done: number): void {
    const rate = done / Math.max((performance.now() - this.stepStarted) / 1000, 0.001);
    let line: string;
    if (this.total) {
      const share = Math.min(done / this.total, 1);
      const width = 30;
      const filled = Math.round(share * width);
      line = `${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(share * 100).toFixed(0)}% ${done.toLocaleString('en')}/${this.total.toLocaleString('en')}`;
    } else {
      line = `${this.label} ${done.toLocaleString('en')} rows`;
    }
    line += ` · ${Math.round(rate).toLocaleString('en')}/s`;
    process.stderr.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}
