import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import type { StatusTarget } from './target.ts';
import { webhookTarget } from './webhook-target.ts';

/** The external targets the configuration enables (DESIGN §4); the static site is always on besides. */
export function configuredTargets(config: Config, clock: Clock): StatusTarget[] {
  const targets: StatusTarget[] = [];
  if (config.STATUS_WEBHOOK_URL && config.STATUS_WEBHOOK_SECRET) {
    targets.push(webhookTarget({ url: config.STATUS_WEBHOOK_URL, secret: config.STATUS_WEBHOOK_SECRET }, clock));
  }
  return targets;
}
