import type { Store } from '../store/store.ts';
import type { Actor, Source } from './model.ts';
import type { Notice } from './notices.ts';
import type { Zone } from './zone.ts';

/** Everything a core operation needs about the command that asked for it. */
export interface CoreContext {
  store: Store;
  actor: Actor;
  source: Source;
  /** When the command was received: "now" for this command, also when it is replayed later. */
  now: Date;
  /** FIREBELL_TZ: the zone of incidents started without --tz. */
  defaultZone: Zone;
  notify(notice: Notice): void;
}
