import { PassThrough } from 'node:stream';

/**
 * A terminal for the shell adapter: type a line, read what firebell printed back. Replies are
 * awaited by watching the output, so a test can move its clock between lines.
 */
export class ShellSession {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private printed = '';
  private waiters: (() => void)[] = [];

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.printed += chunk.toString('utf8');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Everything printed so far. */
  get transcript(): string {
    return this.printed;
  }

  /** Types a line and resolves with what was printed in answer to it. */
  async type(line: string): Promise<string> {
    const before = this.printed.length;
    this.input.write(`${line}\n`);
    while (this.printed.length === before) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.printed.slice(before).trimEnd();
  }

  /** Types a line that prints nothing (a comment, a blank line). */
  typeQuietly(line: string): void {
    this.input.write(`${line}\n`);
  }

  end(): void {
    this.input.end();
  }
}
