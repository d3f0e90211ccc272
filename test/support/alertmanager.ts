import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../http/raw-http.ts';

const BINARY = '/usr/bin/prometheus-alertmanager';
const STARTUP_TIMEOUT_MS = 15_000;

export interface AlertmanagerOptions {
  /** Where it sends its webhooks: firebell's /hooks/alertmanager. */
  webhookUrl: string;
  bearerToken: string;
}

/** One alert as posted to Alertmanager's API v2. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

/**
 * A real Prometheus Alertmanager (Debian's package) on free loopback ports, with a generated
 * configuration that sends every alert to one webhook with Bearer credentials and send_resolved,
 * grouped per alert and flushed within a second, so a test sees each change promptly.
 */
export class Alertmanager {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(opts: AlertmanagerOptions): Promise<Alertmanager> {
    const dir = await mkdtemp(join(tmpdir(), 'firebell-alertmanager-'));
    const config = [
      'route:',
      '  receiver: firebell',
      "  group_by: ['...']",
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: firebell',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(opts.webhookUrl)}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${JSON.stringify(opts.bearerToken)}`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'alertmanager.yml'), config);
    const port = await freePort();
    const child = spawn(
      BINARY,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // No gossip: a single instance, no port of its own to find.
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const am = new Alertmanager(child, dir, port);
    child.stdout?.on('data', (c: Buffer) => (am.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (am.output += c.toString()));
    await am.waitReady(child);
    return am;
  }

  /** What it logged, for a failing test's message. */
  get log(): string {
    return this.output;
  }

  async postAlerts(alerts: PostableAlert[]): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.port}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    if (res.status !== 200) throw new Error(`Alertmanager refused the alerts: ${res.status} ${await res.text()}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Polls its readiness endpoint: the only wait here is for a real server's socket. */
  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Alertmanager exited (${child.exitCode}):\n${this.output}`);
      const ready = await fetch(`http://127.0.0.1:${this.port}/-/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`Alertmanager did not become ready within ${STARTUP_TIMEOUT_MS} ms:\n${this.output}`);
  }
}
