import type { Store } from '../store/store.ts';
import type { Source } from './model.ts';
import type { Notice } from './notices.ts';
import type { Actor } from './people.ts';
import type { Zone } from './zone.ts';

/** Someone else's words put on the record (a pinned message): who wrote them, and when. */
export interface Attribution {
  author: Actor;
  at: Date;
}

/** Everything a core operation needs about the command that asked for it. */
export interface CoreContext {
  store: Store;
  /** Who gave the command. */
  actor: Actor;
  source: Source;
  /** When the command was received: "now" for this command, also when it is replayed later. */
  now: Date;
  /** FIREBELL_TZ: the zone of incidents started without --tz. */
  defaultZone: Zone;
  /** Set when the command records someone else's words rather than the actor's own. */
  attribution: Attribution | null;
  notify(notice: Notice): void;
}
