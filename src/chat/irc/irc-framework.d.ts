/**
 * The part of irc-framework 4.14 that firebell uses. The package is CommonJS without types
 * (kiwiirc/irc-framework#166); shapes are read from its src/client.js, src/connection.js,
 * src/networkinfo.js and src/commands/handlers/*.js.
 */
declare module 'irc-framework' {
  namespace IrcFramework {
    /** Where `connect()` goes (src/transports/net.js) and how the client behaves (src/client.js). */
    interface ClientOptions {
      host?: string;
      /** Default 6667. */
      port?: number;
      tls?: boolean;
      rejectUnauthorized?: boolean;
      nick?: string;
      username?: string;
      gecos?: string;
      encoding?: string;
      /** Answer to CTCP VERSION; null sends none. */
      version?: string | null;
      /** Sent as PASS, and tried for SASL as nick/password unless `account` is set. */
      password?: string;
      /** SASL PLAIN credentials. `{}` turns SASL off even when `password` is set. */
      account?: { account?: string; password?: string };
      sasl_disconnect_on_fail?: boolean;
      enable_echomessage?: boolean;
      /** Default true. It only reconnects a socket that registered more than 5 s earlier. */
      auto_reconnect?: boolean;
      auto_reconnect_max_wait?: number;
      /** 0 silently becomes the default, 3. */
      auto_reconnect_max_retries?: number;
      /** Seconds; 0 turns the periodic PING off. */
      ping_interval?: number;
      /** Seconds without any line from the server before the client gives up on the socket. */
      ping_timeout?: number;
      /** Bytes per PRIVMSG/NOTICE text block; `say` and `notice` cut longer text (default 350). */
      message_max_length?: number;
    }

    type Tags = Record<string, string>;

    interface SenderFields {
      nick: string;
      ident: string;
      hostname: string;
      tags: Tags;
      /** Server time in ms, only when the server sends the `server-time` tag. */
      time?: number;
    }

    /** `privmsg`, `notice` and `action`; `message` carries all three with `type` set. */
    interface MessageEvent extends SenderFields {
      type?: 'privmsg' | 'notice' | 'action';
      /** A channel name, or the bot's own nick for a private message. */
      target: string;
      /** A STATUSMSG prefix (`@` in `@#chan`), when the message was sent to one. */
      group?: string;
      message: string;
      /** True for a message from the server itself (no nick in the prefix). */
      from_server: boolean;
      /** Only from the IRCv3 `account` tag (cap account-tag); ngircd never sends it. */
      account?: string;
      batch?: unknown;
      /** Says `text` back to the channel, or to the sender of a private message. */
      reply(text: string): void;
    }

    interface RegisteredEvent {
      nick: string;
      tags: Tags;
    }

    interface JoinEvent extends SenderFields {
      channel: string;
      gecos: string;
      /** From extended-join: the account name, or false when logged out. */
      account?: string | false;
    }

    interface PartEvent extends SenderFields {
      channel: string;
      message: string;
    }

    interface KickEvent extends SenderFields {
      /** The nick that was kicked; `nick` is who kicked. */
      kicked: string;
      channel: string;
      message: string;
    }

    interface QuitEvent extends SenderFields {
      message: string;
    }

    /** From a TOPIC change (with nick) or from RPL_TOPIC/RPL_NOTOPIC on join (without). */
    interface TopicEvent {
      channel: string;
      topic: string;
      nick?: string;
      time?: number;
      tags: Tags;
    }

    interface NickEvent extends SenderFields {
      new_nick: string;
    }

    /** ERR_NICKNAMEINUSE: registration stalls until `changeNick()` is called. */
    interface NickInUseEvent {
      nick: string;
      reason: string;
      tags: Tags;
    }

    /** An ERROR line (`error: 'irc'`) or an error numeric, named (src/commands/handlers/generics.js). */
    interface IrcErrorEvent {
      error: string;
      reason?: string;
      channel?: string;
      nick?: string;
      target_group?: string;
    }

    /** account-notify, or our own RPL_LOGGEDIN/OUT: the account a nick is logged in as, or false. */
    interface AccountEvent {
      nick: string;
      account: string | false;
    }

    interface ReconnectingEvent {
      attempt: number;
      max_retries: number;
      /** Milliseconds until the next attempt. */
      wait: number;
    }

    interface RawEvent {
      line: string;
      from_server: boolean;
    }

    interface EventMap {
      registered: RegisteredEvent;
      connected: RegisteredEvent;
      message: MessageEvent;
      privmsg: MessageEvent;
      notice: MessageEvent;
      action: MessageEvent;
      join: JoinEvent;
      part: PartEvent;
      kick: KickEvent;
      quit: QuitEvent;
      topic: TopicEvent;
      nick: NickEvent;
      account: AccountEvent;
      'nick in use': NickInUseEvent;
      'irc error': IrcErrorEvent;
      reconnecting: ReconnectingEvent;
      /** The client gave up: no reconnect follows. The argument says whether an error caused it. */
      close: boolean;
      /** The socket closed; a reconnect may follow. */
      'socket close': Error | false;
      'socket connected': undefined;
      raw: RawEvent;
      debug: string;
    }

    /** One PREFIX entry from ISUPPORT: `@` for mode `o`. */
    interface PrefixEntry {
      symbol: string;
      mode: string;
    }

    interface NetworkInfo {
      name: string;
      /**
       * ISUPPORT tokens by upper-case name: a string value (`CHANNELLEN` is `'50'`), or true for a
       * token without one. `CHANTYPES` and `STATUSMSG` become arrays, `PREFIX` a list of entries.
       */
      options: Record<string, string | true | string[] | PrefixEntry[] | undefined>;
      supports(name: string): string | true | string[] | PrefixEntry[] | undefined;
      isChannelName(name: string): boolean;
      cap: { enabled: string[]; isEnabled(name: string): boolean };
    }

    interface User {
      nick: string;
      username: string;
      gecos: string;
      host: string;
      away: boolean;
    }

    class Client {
      constructor(options?: ClientOptions);
      readonly user: User;
      readonly network: NetworkInfo;
      readonly options: ClientOptions;
      /** The socket is open (not necessarily registered). */
      readonly connected: boolean;

      /**
       * Starts connecting with the constructor's options; options given here REPLACE them all
       * (nick and reconnect settings included), they are not merged.
       */
      connect(options?: ClientOptions): void;
      quit(message?: string): void;

      on<E extends keyof EventMap>(event: E, listener: (event: EventMap[E]) => void): this;
      once<E extends keyof EventMap>(event: E, listener: (event: EventMap[E]) => void): this;
      off<E extends keyof EventMap>(event: E, listener?: (event: EventMap[E]) => void): this;
      removeAllListeners(event?: keyof EventMap): this;

      // None of the following strips CR or LF: every argument must already be wire-clean.
      join(channel: string, key?: string): void;
      part(channel: string, message?: string): void;
      /** An empty or blank topic clears it (`TOPIC #chan :`). */
      setTopic(channel: string, topic: string): void;
      invite(channel: string, nick: string): void;
      changeNick(nick: string): void;
      /**
       * Joins the arguments with spaces and prefixes `:` to a last one that starts with `:` or
       * holds whitespace; a single string is written as it is.
       */
      raw(...args: (string | number)[]): void;

      // These split on CR/LF (dropping empty lines) and cut at `message_max_length` bytes.
      say(target: string, message: string, tags?: Tags): void;
      notice(target: string, message: string, tags?: Tags): void;

      /** Compares per the network's CASEMAPPING. */
      caseCompare(a: string, b: string): boolean;
      caseLower(text: string): string;
    }
  }

  export = IrcFramework;
}
