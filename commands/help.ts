import { z } from 'zod';
import { echoWord } from '../src/chat/arguments.ts';
import { code, reply } from '../src/chat/reply.ts';
import { defineVerb, findVerb } from '../src/chat/verb.ts';

export default defineVerb({
  name: 'help',
  usage: 'help [verb]',
  help: 'Show the commands, or how to use one.',
  scope: 'global',
  writes: false,
  words: ['verb'],
  args: z.object({ verb: z.string().optional() }),
  async run({ verb }, ctx) {
    if (verb) {
      const v = findVerb(ctx.verbs, verb);
      if (!v) return reply.error(`unknown command "${echoWord(verb)}": try \`help\``);
      const aliases = v.aliases.length > 0 ? ` (also: ${v.aliases.join(', ')})` : '';
      return reply.ok([code(v.usage), aliases], v.help);
    }
    return reply.ok(
      'Commands (an incident command applies to the INC-n you name first, else to this channel\'s incident, else to the only open one):',
      ...ctx.verbs.filter((v) => !v.internal).map((v) => [code(v.usage), ` ${v.help.split('. ')[0]!.replace(/\.$/, '')}.`]),
    );
  },
});
