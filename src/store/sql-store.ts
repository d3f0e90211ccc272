import type { Queryable } from './db.ts';
import { CandidateCache } from './sql/candidate-cache.ts';
import { channelLinkRepository } from './sql/channel-links.ts';
import { followupRepository } from './sql/followups.ts';
import { incidentNagRepository } from './sql/incident-nags.ts';
import { incidentRepository } from './sql/incidents.ts';
import { noticeRepository } from './sql/notices.ts';
import { processedEventRepository } from './sql/processed-events.ts';
import { scheduledRunRepository } from './sql/scheduled-runs.ts';
import { roleRepository } from './sql/roles.ts';
import { statusDeliveryRepository } from './sql/status-deliveries.ts';
import { statusUpdateRepository } from './sql/status-updates.ts';
import { timelineRepository } from './sql/timeline.ts';
import { warningRepository } from './sql/warnings.ts';
import type { Store } from './store.ts';

/**
 * Every repository bound to one connection or transaction; the same SQL runs on Postgres and PGlite.
 * `candidates` remembers which incident each channel belongs to: by default for this store alone.
 */
export function sqlStore(q: Queryable, candidates = new CandidateCache()): Store {
  return {
    incidents: incidentRepository(q, candidates),
    timeline: timelineRepository(q),
    roles: roleRepository(q),
    statusUpdates: statusUpdateRepository(q),
    followups: followupRepository(q),
    channels: channelLinkRepository(q, candidates),
    events: processedEventRepository(q),
    notices: noticeRepository(q),
    statusDeliveries: statusDeliveryRepository(q),
    warnings: warningRepository(q),
    incidentNags: incidentNagRepository(q),
    scheduledRuns: scheduledRunRepository(q),
  };
}
