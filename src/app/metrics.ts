import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the gauges read when scraped: counted where it lives, never kept twice. */
export interface MetricsSources {
  /** Commands in the local journal not yet settled. */
  journalPending(): number;
  /** Chat outbox deliveries per consumer; rejects while the database is unreachable. */
  outboxCounts(): Promise<Record<string, { pending: number; dead: number }>>;
  /** Status page deliveries waiting and set aside; rejects while the database is unreachable. */
  statusDeliveryCounts(): Promise<{ pending: number; dead: number }>;
}

/**
 * firebell's Prometheus metrics (`GET /metrics`), one registry per bot, so two bots in one process
 * (tests) count apart. Counters that other parts move later are registered now, at zero, so a
 * dashboard can be built before the feature lands: nags sent, chat reconnects, the IRC lease.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: 'firebell_commands_total',
    help: 'Commands answered, by verb and outcome (ok, error, queued, refused).',
    labelNames: ['verb', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: 'firebell_command_duration_seconds',
    help: 'Time from a command reaching the router to its answer.',
    labelNames: ['verb'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly nagsSent = new Counter({
    name: 'firebell_nags_sent_total',
    help: 'Nags sent, by what they nag about (warning, status_cadence, delivery).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly chatReconnects = new Counter({
    name: 'firebell_chat_reconnects_total',
    help: 'Connections to a chat platform made again after one was lost.',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  readonly ircLeaseHeld = new Gauge({
    name: 'firebell_irc_lease_held',
    help: '1 while this instance holds the IRC lease (it is the one connected to IRC), else 0.',
    registers: [this.registry],
  });
  constructor(sources: MetricsSources) {
    new Gauge({
      name: 'firebell_journal_pending_commands',
      help: 'Commands in the local journal not yet recorded in the database.',
      registers: [this.registry],
      collect() {
        this.set(sources.journalPending());
      },
    });
    // One query feeds both outbox gauges; while the database is down they keep their last values.
    let counting: Promise<Record<string, { pending: number; dead: number }> | null> | null = null;
    const outboxCounts = () =>
      (counting ??= sources
        .outboxCounts()
        .catch(() => null)
        .finally(() => {
          counting = null;
        }));
    for (const state of ['pending', 'dead'] as const) {
      new Gauge({
        name: `firebell_outbox_${state}`,
        help: state === 'pending' ? 'Chat outbox deliveries waiting, per consumer.' : 'Chat outbox deliveries set aside after failing, per consumer.',
        labelNames: ['consumer'] as const,
        registers: [this.registry],
        async collect() {
          const counts = await outboxCounts();
          for (const [consumer, c] of Object.entries(counts ?? {})) this.set({ consumer }, c[state]);
        },
      });
    }
    // Read at scrape too; zero until the first count, then the last one while the database is down.
    const statusDeliveries = new Gauge({
      name: 'firebell_status_deliveries',
      help: 'Status page deliveries, pending and dead (set aside after failing).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await sources.statusDeliveryCounts().catch(() => null);
        if (counts) for (const state of ['pending', 'dead'] as const) this.set({ state }, counts[state]);
      },
    });
    for (const state of ['pending', 'dead']) statusDeliveries.set({ state }, 0);
    this.ircLeaseHeld.set(0);
    collectDefaultMetrics({ register: this.registry, prefix: 'firebell_' });
  }

  /** A command was answered: counted by outcome, timed. */
  commandAnswered(verb: string, outcome: string, seconds: number): void {
    this.commands.inc({ verb, outcome });
    this.commandSeconds.observe({ verb }, seconds);
  }
}
