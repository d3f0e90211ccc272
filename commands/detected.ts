import { entryVerb } from './entry-verb.ts';

export default entryVerb('detected', 'detected', 'Record when and how the problem was first noticed.');
