import { webApi } from '@slack/bolt';

/** Slack's error code, when the Web API answered with one (`name_taken`, `channel_not_found`…). */
export function slackError(err: unknown): string | null {
  return err instanceof Error && 'code' in err && err.code === webApi.ErrorCode.PlatformError ? (err as webApi.WebAPIPlatformError).data.error : null;
}
