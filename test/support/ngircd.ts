import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.ts';

export interface NgircdOptions {
  /** Pre-defined (persistent) channels, as `[Channel]` sections. */
  channels?: { name: string; topic?: string }[];
}

const STARTUP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
/** Where Debian puts it; root's PATH may lack sbin when run from CI. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/**
 * A real ngircd (DESIGN §9) on a free loopback port with a generated configuration, for tests and
 * the bench. `restart()` brings it back on the same port, as a server returning after an outage.
 */
export class Ngircd {
  readonly host = '127.0.0.1';
  private child: ChildProcess | null = null;
  private output = '';
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  private constructor(
    private readonly binary: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** Starts ngircd and resolves once it accepts connections. Fails clearly when it is not installed. */
  static async start(options: NgircdOptions = {}): Promise<Ngircd> {
    const binary = await findNgircd();
    const dir = await mkdtemp(join(tmpdir(), 'firebell-ngircd-'));
    // Run as root, ngircd drops to nobody, which must still read its configuration.
    await chmod(dir, 0o755);
    await mkdir(join(dir, 'conf.d'), { mode: 0o755 });
    for (let attempt = 1; ; attempt++) {
      const server = new Ngircd(binary, dir, await freePort());
      await writeFile(server.configPath, configFor(server.port, dir, options), { mode: 0o644 });
      try {
        await server.launch();
        return server;
      } catch (err) {
        // Another process may take the free port between our probe and ngircd's bind.
        if (attempt < 3 && /bind|address already in use/i.test(server.output)) continue;
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  get configPath(): string {
    return join(this.dir, 'ngircd.conf');
  }

  /** Everything ngircd has logged, for a failing test's message. */
  get log(): string {
    return this.output;
  }

  /** Stops the server (every client is disconnected) and starts it again on the same port. */
  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  /** Stops the server for good and removes its files. Safe to call twice. */
  async stop(): Promise<void> {
    await this.halt();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Stops the server but keeps its port and files, for `launch()` to bring it back. */
  async halt(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    process.off('exit', this.killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Starts ngircd on this port and waits for it to say it is ready. */
  async launch(): Promise<void> {
    if (this.child) throw new Error('ngircd is already running');
    this.output = '';
    const child = spawn(this.binary, ['-n', '-f', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    process.on('exit', this.killOnExit);
    const listening = `Now listening on [${this.host}]:${this.port}`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not start within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
      const onOutput = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes(listening) && /Server ".*" \(on ".*"\) ready/.test(this.output)) done();
      };
      const onExit = (code: number | null) => fail(`exited (code ${code}) before it was ready`);
      const done = () => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      };
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        this.child = null;
        process.off('exit', this.killOnExit);
        reject(new Error(`ngircd on port ${this.port} ${why}:\n${this.output}`));
      };
      child.stdout!.on('data', onOutput);
      child.stderr!.on('data', onOutput);
      child.once('exit', onExit);
      child.once('error', (err) => fail(err.message));
    });
  }
}

async function findNgircd(): Promise<string> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, 'ngircd');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error('ngircd is not installed: the IRC tests need a real IRC server (apt-get install -y ngircd; .ci/run does it)');
}


/**
 * The verified minimal configuration (research notes §7). ngircd reads `;` and `#` as comments only
 * at the start of a line, so none may follow a value.
 */
function configFor(port: number, dir: string, options: NgircdOptions): string {
  const channels = (options.channels ?? []).map((c) => ['[Channel]', `\tName = ${c.name}`, ...(c.topic ? [`\tTopic = ${c.topic}`] : [])].join('\n'));
  return [
    '[Global]',
    '\tName = irc.test.local',
    '\tInfo = firebell test server',
    '\tListen = 127.0.0.1',
    `\tPorts = ${port}`,
    '\tMotdPhrase = "firebell test server"',
    '[Limits]',
    '\t# many test clients come from 127.0.0.1',
    '\tMaxConnectionsIP = 0',
    '\t# the bot joins a channel per incident',
    '\tMaxJoins = 0',
    '\tMaxNickLength = 30',
    '\t# no flood penalty: the tests pace nothing unless they test pacing (the bot paces itself)',
    '\tMaxPenaltyTime = 0',
    '\tPingTimeout = 120',
    '\tPongTimeout = 20',
    '[Options]',
    '\t# with PAM off and no server password any PASS is refused: clients must send none',
    '\tPAM = no',
    '\tIdent = no',
    '\tDNS = no',
    `\tIncludeDir = ${join(dir, 'conf.d')}`,
    ...channels,
    '',
  ].join('\n');
}
