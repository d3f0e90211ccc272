import { entryVerb } from './entry-verb.ts';

export default entryVerb('note', 'log', 'Add a timeline entry.', ['note']);
