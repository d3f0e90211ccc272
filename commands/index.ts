import type { Verb } from '../src/chat/verb.ts';
import ack from './ack.ts';
import action from './action.ts';
import alert from './alert.ts';
import cause from './cause.ts';
import close from './close.ts';
import decision from './decision.ts';
import deliveries from './deliveries.ts';
import deleteVerb from './delete.ts';
import detected from './detected.ts';
import edit from './edit.ts';
import followup from './followup.ts';
import help from './help.ts';
import impact from './impact.ts';
import link from './link.ts';
import list from './list.ts';
import log from './log.ts';
import postmortem from './postmortem.ts';
import promote from './promote.ts';
import resolve from './resolve.ts';
import role from './role.ts';
import sev from './sev.ts';
import show from './show.ts';
import snooze from './snooze.ts';
import start from './start.ts';
import status from './status.ts';
import warn from './warn.ts';
import warnings from './warnings.ts';
import unpin from './unpin.ts';

/** Every verb, in the order `help` lists them. */
export const verbs: readonly Verb[] = [
  start,
  log,
  detected,
  action,
  decision,
  impact,
  cause,
  status,
  sev,
  role,
  followup,
  resolve,
  close,
  postmortem,
  show,
  list,
  deliveries,
  warn,
  warnings,
  ack,
  snooze,
  promote,
  edit,
  deleteVerb,
  help,
  link,
  alert,
  unpin,
];
