import { entryVerb } from './entry-verb.ts';

export default entryVerb('cause', 'cause', 'Record a contributing factor or the cause, as it becomes clear.');
