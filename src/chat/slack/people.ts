import type { webApi } from '@slack/bolt';

/** How long a looked-up name is trusted: people rename themselves, rarely mid-incident. */
const NAME_TTL_MS = 60 * 60_000;

/**
 * Slack users' display names, from users.info, cached. firebell stores the user id and shows the
 * name: a lookup that fails (Slack slow or down) falls back to what the caller already has.
 */
export class SlackPeople {
  private readonly names = new Map<string, { name: string; fetchedAt: number }>();
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly nowMs: () => number,
  ) {}

  /** The name if it is cached now; never asks Slack. */
  cached(userId: string): string | undefined {
    const hit = this.names.get(userId);
    return hit && this.nowMs() - hit.fetchedAt < NAME_TTL_MS ? hit.name : undefined;
  }

  async nameOf(userId: string, fallback: string = userId): Promise<string> {
    const hit = this.cached(userId);
    if (hit !== undefined) return hit;
    let lookup = this.pending.get(userId);
    if (!lookup) {
      lookup = this.lookUp(userId).finally(() => this.pending.delete(userId));
      this.pending.set(userId, lookup);
    }
    return (await lookup) ?? fallback;
  }

  private async lookUp(userId: string): Promise<string | null> {
    try {
      const res = await this.client.users.info({ user: userId });
      const u = res.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name;
      if (!name) return null;
      this.names.set(userId, { name, fetchedAt: this.nowMs() });
      return name;
    } catch {
      return null;
    }
  }
}
