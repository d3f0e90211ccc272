import { entryVerb } from './entry-verb.ts';

export default entryVerb('action', 'action', 'Record something a responder did (a rollback, a restart, a failover).');
