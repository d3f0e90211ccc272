import type { Incident } from '../../core/model.ts';

export type Candidates = { linked: Incident | null; open: Incident[] };

export interface ChannelRef {
  platform: string;
  channelId: string;
}

const keyOf = (c: ChannelRef) => `${c.platform}\u0000${c.channelId}`;

/**
 * Commands batched in one transaction mostly ask the same question (which incident is this
 * channel's?): it is answered once per channel. Anything that changes incidents or channel links
 * in the transaction forgets every answer, so a later command in the batch sees the change.
 */
export class CandidateCache {
  private readonly answers = new Map<string, Promise<Candidates>>();

  /** The answers for these channels; those not known yet are loaded in one go. */
  getMany(channels: readonly ChannelRef[], load: (missing: ChannelRef[]) => Promise<Candidates[]>): Promise<Candidates[]> {
    const missing = new Map<string, ChannelRef>();
    for (const c of channels) if (!this.answers.has(keyOf(c))) missing.set(keyOf(c), c);
    if (missing.size > 0) {
      const loaded = load([...missing.values()]);
      [...missing.keys()].forEach((key, i) => {
        const answer = loaded.then((all) => all[i]!);
        this.answers.set(key, answer);
        answer.catch(() => this.answers.delete(key));
      });
    }
    return Promise.all(channels.map((c) => this.answers.get(keyOf(c))!));
  }

  forget(): void {
    this.answers.clear();
  }
}
