import { FakeStatusServer, type FakeAnswer, type FakeRequest } from './fake-server.ts';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed'];
const IMPACTS = ['none', 'maintenance', 'minor', 'major', 'critical'];
const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage', ''];

export interface FakeStatuspageIncident {
  id: string;
  name: string;
  status: string;
  impact_override: string | null;
  shortlink: string;
  components: Record<string, string>;
  /** Newest first, as Statuspage lists them. */
  incident_updates: { id: string; status: string; body: string }[];
}

/**
 * Atlassian Statuspage's REST API (v1) as its OpenAPI document describes the calls firebell makes:
 * `Authorization: OAuth <key>` (never ?api_key=), POST and PATCH of `{"incident": {…}}` with the
 * documented enums and limits, GET with `q` searching names, 201 on create.
 */
export class FakeStatuspage extends FakeStatusServer {
  readonly incidents: FakeStatuspageIncident[] = [];
  private counter = 0;

  constructor(
    readonly pageId: string,
    private readonly apiKey: string,
  ) {
    super();
  }

  get apiUrl(): string {
    return `${this.url}/v1`;
  }

  override reset(): void {
    super.reset();
    this.incidents.length = 0;
  }

  protected check(req: FakeRequest): string | null {
    if (req.headers.authorization !== `OAuth ${this.apiKey}`) return 'Authorization must be OAuth <api key>';
    if (req.query.has('api_key')) return 'the key must not be in the query';
    const collection = `/v1/pages/${this.pageId}/incidents`;
    const one = new RegExp(`^${collection}/([a-z0-9]+)$`).exec(req.path);
    if (req.path === collection && req.method === 'GET') return null;
    if (req.path === collection && req.method === 'POST') return this.checkIncident(req, true);
    if (one && (req.method === 'GET' || req.method === 'PATCH')) {
      if (!this.incidents.some((i) => i.id === one[1])) return null;
      return req.method === 'PATCH' ? this.checkIncident(req, false) : null;
    }
    return `no such endpoint: ${req.method} ${req.path}`;
  }

  private checkIncident(req: FakeRequest, create: boolean): string | null {
    if (!String(req.headers['content-type']).startsWith('application/json')) return 'Content-Type must match the JSON body';
    const incident = (req.body as { incident?: Record<string, unknown> } | null)?.incident;
    if (typeof incident !== 'object' || incident === null) return 'the body must be {"incident": {…}}';
    const { name, status, body, impact_override, components, component_ids, metadata } = incident;
    if (create && (typeof name !== 'string' || name === '')) return 'name is required';
    if (name !== undefined && (typeof name !== 'string' || name.length > 255)) return 'name: at most 255 characters';
    if (status !== undefined && !STATUSES.includes(String(status))) return `status: not one of ${STATUSES.join(', ')}`;
    if (body !== undefined && (typeof body !== 'string' || body.length > 25_000)) return 'body: at most 25000 characters';
    if (impact_override !== undefined && !IMPACTS.includes(String(impact_override))) return 'impact_override: not a known impact';
    if (component_ids !== undefined && (!Array.isArray(component_ids) || component_ids.some((c) => typeof c !== 'string'))) return 'component_ids: a list of ids';
    if (components !== undefined) {
      if (typeof components !== 'object' || components === null) return 'components: a map of id to status';
      if (Object.values(components).some((s) => !COMPONENT_STATUSES.includes(String(s)))) return 'components: not a component status';
    }
    if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((v) => typeof v !== 'object' || v === null))) {
      return 'metadata: every top-level value must be an object';
    }
    return null;
  }

  protected answer(req: FakeRequest): FakeAnswer {
    const collection = `/v1/pages/${this.pageId}/incidents`;
    if (req.path === collection && req.method === 'GET') {
      const q = (req.query.get('q') ?? '').toLowerCase();
      return { status: 200, body: this.incidents.filter((i) => i.name.toLowerCase().includes(q)) };
    }
    const changes = (req.body as { incident?: Record<string, unknown> } | null)?.incident ?? {};
    if (req.path === collection) {
      const id = `inc${++this.counter}abc`;
      const made: FakeStatuspageIncident = {
        id,
        name: String(changes.name),
        status: String(changes.status ?? 'investigating'),
        impact_override: (changes.impact_override as string | undefined) ?? null,
        shortlink: `https://stspg.io/${id}`,
        components: (changes.components as Record<string, string> | undefined) ?? {},
        incident_updates: [],
      };
      this.addUpdate(made, changes);
      this.incidents.push(made);
      return { status: 201, body: made };
    }
    const id = req.path.slice(collection.length + 1);
    const incident = this.incidents.find((i) => i.id === id);
    if (!incident) return { status: 404, body: { error: 'not found' } };
    if (req.method === 'PATCH') {
      if (typeof changes.status === 'string') incident.status = changes.status;
      if (typeof changes.impact_override === 'string') incident.impact_override = changes.impact_override;
      Object.assign(incident.components, changes.components ?? {});
      this.addUpdate(incident, changes);
    }
    return { status: 200, body: incident };
  }

  private addUpdate(incident: FakeStatuspageIncident, changes: Record<string, unknown>): void {
    if (typeof changes.body !== 'string') return;
    incident.incident_updates.unshift({ id: `upd${++this.counter}`, status: incident.status, body: changes.body });
  }
}
