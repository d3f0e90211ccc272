import { entryVerb } from './entry-verb.ts';

export default entryVerb('decision', 'decision', 'Record a decision and, ideally, why it was made.');
