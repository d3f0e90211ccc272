/**
 * IRC's `ascii` CASEMAPPING (ngircd's): only A-Z fold, so `É` and `[` stay as they are. Nicks,
 * channels and hostmasks compare this way; `rfc1459` would also fold `[]\` to `{}|`.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}
