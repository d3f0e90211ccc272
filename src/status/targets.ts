import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { cachetTarget } from './cachet-target.ts';
import { statuspageTarget } from './statuspage-target.ts';
import type { StatusTarget } from './target.ts';
import { webhookTarget } from './webhook-target.ts';

/** The external targets the configuration enables (DESIGN §4); the static site is always on besides. */
export function configuredTargets(config: Config, clock: Clock): StatusTarget[] {
  const targets: StatusTarget[] = [];
  if (config.STATUSPAGE_API_KEY && config.STATUSPAGE_PAGE_ID) {
    targets.push(
      statuspageTarget(
        { apiUrl: config.STATUSPAGE_API_URL, pageId: config.STATUSPAGE_PAGE_ID, apiKey: config.STATUSPAGE_API_KEY, componentIds: config.STATUSPAGE_COMPONENT_IDS },
        clock,
      ),
    );
  }
  if (config.CACHET_URL && config.CACHET_TOKEN) targets.push(cachetTarget({ url: config.CACHET_URL, token: config.CACHET_TOKEN }, clock));
  if (config.STATUS_WEBHOOK_URL && config.STATUS_WEBHOOK_SECRET) {
    targets.push(webhookTarget({ url: config.STATUS_WEBHOOK_URL, secret: config.STATUS_WEBHOOK_SECRET }, clock));
  }
  return targets;
}
