/**
 * A person as a chat platform knows them: a stable id there (a Slack user id; an IRC account, else
 * the nick; the shell's user) and the name shown at the time. Names change and collide; ids do not,
 * so everything that counts people (the postmortem's participants) counts ids.
 */
export interface Actor {
  platform: string;
  id: string;
  name: string;
}

/** How a person is stored beside their name: `slack:U123ABC`, `irc:dana`, `shell:root`. */
export function personKey(person: Pick<Actor, 'platform' | 'id'>): string {
  return `${person.platform}:${person.id}`;
}

/** A person as typed in a command, before it is known which platform a plain name belongs to. */
export interface PersonRef {
  /** Set when the text itself names the platform's id (a Slack mention). */
  platform: string | null;
  id: string | null;
  name: string;
}

// Slack renders a mention as <@U123ABC> or <@U123ABC|dana>; user ids start with U or W.
const SLACK_MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|([^<>|\s][^<>|]{0,79}))?>$/;
// One word a person might be called by: no spaces, no markup characters.
const PLAIN_NAME = /^@?([^\s@<>|]{1,80})$/;

/**
 * A person typed as a command argument, the way each platform lets people write one: `dana`,
 * `@dana`, Slack's `<@U123ABC>` and `<@U123ABC|dana>`, an IRC nick. Null when it is not one person.
 */
export function parsePersonRef(text: string): PersonRef | null {
  const mention = SLACK_MENTION.exec(text);
  if (mention) return { platform: 'slack', id: mention[1]!, name: mention[2] ?? mention[1]! };
  const plain = PLAIN_NAME.exec(text);
  return plain ? { platform: null, id: null, name: plain[1]! } : null;
}

/**
 * The person a reference means on the platform it was typed on. A plain name becomes an id there;
 * IRC nicks compare without case, so theirs are lower-cased.
 */
export function resolvePerson(ref: PersonRef, platform: string): Actor {
  if (ref.platform !== null && ref.id !== null) return { platform: ref.platform, id: ref.id, name: ref.name };
  return { platform, id: platform === 'irc' ? ref.name.toLowerCase() : ref.name, name: ref.name };
}
