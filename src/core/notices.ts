import type { Incident } from './model.ts';

/**
 * What firebell says unprompted. Core emits these; after the command's transaction commits, every
 * configured chat adapter renders them its own way (a channel on Slack, a channel and topic on IRC,
 * a line on the shell).
 */
export type Notice =
  | { kind: 'incident_opened'; incident: Incident; origin: { platform: string; channelId: string } }
  | { kind: 'incident_closed'; incident: Incident }
  /** A closed incident's record changed: its exported draft must be written again. */
  | { kind: 'postmortem_outdated'; incidentId: number };
