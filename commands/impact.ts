import { entryVerb } from './entry-verb.ts';

export default entryVerb('impact', 'impact', 'Record what users or systems were affected, and how.');
