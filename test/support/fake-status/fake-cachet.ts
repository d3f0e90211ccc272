import { FakeStatusServer, type FakeAnswer, type FakeRequest } from './fake-server.ts';

export interface FakeCachetIncident {
  id: number;
  name: string;
  status: number;
  visible: boolean;
  stickied: boolean;
  message: string;
  updates: { id: number; status: number; message: string }[];
}

/**
 * Cachet 2.x's API v1 as its source defines the calls firebell makes: `X-Cachet-Token`, 406 unless
 * the request accepts JSON, POST /incidents (name, status 0-4, boolean notify) answering 200, POST
 * /incidents/{id}/updates (status 1-4 and message required), answers as `{"data": {…}}`.
 */
export class FakeCachet extends FakeStatusServer {
  readonly incidents: FakeCachetIncident[] = [];
  private counter = 0;

  constructor(private readonly token: string) {
    super();
  }

  override reset(): void {
    super.reset();
    this.incidents.length = 0;
  }

  protected check(req: FakeRequest): string | null {
    if (!String(req.headers.accept ?? '').includes('application/json')) return 'Accept must include application/json (Cachet answers 406)';
    if (req.headers['x-cachet-token'] !== this.token) return 'X-Cachet-Token is missing or wrong';
    // Cachet's Searchable trait filters GET /incidents on exact columns (name among them).
    if (req.method === 'GET' && (req.path === '/api/v1/incidents' || /^\/api\/v1\/incidents\/\d+\/updates$/.test(req.path))) return null;
    if (req.method !== 'POST') return `no such endpoint: ${req.method} ${req.path}`;
    const b = req.body as Record<string, unknown> | null;
    if (typeof b !== 'object' || b === null) return 'a JSON object is required';
    if (req.path === '/api/v1/incidents') {
      if (typeof b.name !== 'string' || b.name === '') return 'The name field is required.';
      if (!Number.isInteger(b.status) || (b.status as number) < 0 || (b.status as number) > 4) return 'The status format is invalid.';
      if (b.notify !== undefined && typeof b.notify !== 'boolean') return 'The notify field must be true or false.';
      if (typeof b.visible !== 'boolean' || typeof b.stickied !== 'boolean') return 'visible and stickied must be sent, or Cachet resets them';
      if ((b.component_id === undefined) !== (b.component_status === undefined)) return 'component_id and component_status go together';
      return null;
    }
    const update = /^\/api\/v1\/incidents\/(\d+)\/updates$/.exec(req.path);
    if (update) {
      if (!Number.isInteger(b.status) || (b.status as number) < 1 || (b.status as number) > 4) return 'The status format is invalid.';
      if (typeof b.message !== 'string' || b.message === '') return 'The message field is required.';
      return null;
    }
    return `no such endpoint: ${req.method} ${req.path}`;
  }

  protected answer(req: FakeRequest): FakeAnswer {
    if (req.method === 'GET') return this.list(req);
    const b = req.body as Record<string, unknown>;
    if (req.path === '/api/v1/incidents') {
      const made: FakeCachetIncident = {
        id: ++this.counter,
        name: String(b.name),
        status: Number(b.status),
        visible: Boolean(b.visible),
        stickied: Boolean(b.stickied),
        message: String(b.message ?? ''),
        updates: [],
      };
      this.incidents.push(made);
      return { status: 200, body: { data: { ...made, permalink: `${this.url}/incidents/${made.id}` } } };
    }
    const id = Number(/(\d+)\/updates$/.exec(req.path)![1]);
    const incident = this.incidents.find((i) => i.id === id);
    if (!incident) return { status: 404, body: { errors: [{ status: 404, title: 'Not Found', detail: 'Resource not found' }] } };
    const update = { id: ++this.counter, status: Number(b.status), message: String(b.message) };
    incident.updates.push(update);
    incident.status = update.status;
    return { status: 200, body: { data: { ...update, incident_id: id } } };
  }

  /** GET /incidents?name=… (exact match) and GET /incidents/{id}/updates, newest first, as `{"data": […]}`. */
  private list(req: FakeRequest): FakeAnswer {
    const updates = /(\d+)\/updates$/.exec(req.path);
    if (updates) {
      const incident = this.incidents.find((i) => i.id === Number(updates[1]));
      if (!incident) return { status: 404, body: { errors: [{ status: 404, title: 'Not Found', detail: 'Resource not found' }] } };
      return { status: 200, body: { data: [...incident.updates].reverse().map((u) => ({ ...u, incident_id: incident.id })) } };
    }
    const name = req.query.get('name');
    const found = this.incidents.filter((i) => name === null || i.name === name).reverse();
    return { status: 200, body: { data: found.map((i) => ({ ...i, permalink: `${this.url}/incidents/${i.id}` })) } };
  }
}
