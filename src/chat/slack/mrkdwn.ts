/**
 * User text made inert in Slack mrkdwn. Slack's message-formatting docs name exactly three
 * characters to escape, `&` `<` `>`, and say not to entity-encode anything else. Escaping `<` is
 * what stops `<!channel>`, `<!here>`, `<@U…>` and `<url|label>` typed by a user from notifying
 * anyone or becoming a link; `*` `_` `~` and backticks have no escape in mrkdwn, so text that must
 * show exactly as typed belongs in a plain_text object instead.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
