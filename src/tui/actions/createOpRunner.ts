import { callControl, type ControlTransport } from '../../client/controlApi.js';
import { errorMessage } from '../../shared/errors.js';
import type { TuiAction } from '../state/tuiReducer.js';
import { afterFailure, followUp, requestFor, resultText, textFor, type ControlOp } from './controlOps.js';

export type RunOp = (op: ControlOp) => Promise<void>;

/** How long a success stays in the result line; errors stay until the next key (esc) or result. */
export const NOTICE_TTL_MS = 5_000;

/**
 * Runs ops without ever blocking input: each one shows "…" in the result line at once, then its
 * outcome or the daemon's error. Several may be in flight; the line shows the latest news.
 */
export function createOpRunner(client: ControlTransport, dispatch: (action: TuiAction) => void): RunOp {
  let seq = 0;
  return async (op) => {
    const id = ++seq;
    const text = textFor(op);
    dispatch({ type: 'notify', notice: { id, tone: 'pending', text: text.pending } });
    try {
      const response = await callControl(client, requestFor(op));
      const actions = followUp(op, response);
      dispatch({ type: 'notify', notice: { id, tone: 'ok', text: resultText(op, response) } });
      setTimeout(() => dispatch({ type: 'expireNotice', id }), NOTICE_TTL_MS).unref();
      for (const action of actions) dispatch(action);
    } catch (err) {
      dispatch({ type: 'notify', notice: { id, tone: 'error', text: `${text.failed}: ${errorMessage(err)}` } });
      for (const action of afterFailure(op)) dispatch(action);
    }
  };
}
