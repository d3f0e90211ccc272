import type { Incident } from '../../core/model.ts';

export type Candidates = { linked: Incident | null; open: Incident[] };

/**
 * Commands batched in one transaction mostly ask the same question (which incident is this
 * channel's?): it is answered once per channel. Anything that changes incidents or channel links
 * in the transaction forgets every answer, so a later command in the batch sees the change.
 */
export class CandidateCache {
  private readonly answers = new Map<string, Promise<Candidates>>();

  get(platform: string, channelId: string, load: () => Promise<Candidates>): Promise<Candidates> {
    const key = `${platform}\u0000${channelId}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = load();
      this.answers.set(key, answer);
      answer.catch(() => this.answers.delete(key));
    }
    return answer;
  }

  forget(): void {
    this.answers.clear();
  }
}
