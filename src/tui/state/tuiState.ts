import type { StateView } from '../../shared/schemas/api.js';
import type { LoginSession } from '../../shared/schemas/auth.js';
import { EventCategorySchema, type CcbEvent, type EventCategory } from '../../shared/schemas/events.js';

/** Everything the dashboard shows, in one plain object: the reducer owns it, React only renders it. */

export const PANES = ['accounts', 'limits', 'events'] as const;
export type Pane = (typeof PANES)[number];

export type EventFilter = 'all' | EventCategory;
export const EVENT_FILTERS: readonly EventFilter[] = ['all', ...EventCategorySchema.options];

/** Events kept in memory for the events pane (the daemon keeps the full log). */
export const EVENT_BUFFER = 500;

export type Connection =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting'; reason: string; since: number };

/** One choice in the model picker; `id: null` clears the override (the account uses the default model). */
export interface ModelChoice {
  id: string | null;
  label: string;
}

/** At most one modal interaction at a time; `normal` means keys act on the panes. */
export type Mode =
  | { kind: 'normal' }
  | { kind: 'help' }
  | { kind: 'add'; value: string; error: string | null }
  | { kind: 'rename'; accountId: string; value: string; error: string | null }
  /** `/`: typing edits the events filter (`eventQuery`) live. */
  | { kind: 'search' }
  | { kind: 'confirmDelete'; accountId: string }
  | { kind: 'connect'; accountId: string }
  /** `autoOpen`: this TUI started the browser login, so it opens the sign-in URL once the session has it. */
  | { kind: 'login'; accountId: string; session: LoginSession | null; autoOpen: boolean }
  | { kind: 'models'; accountId: string; choices: ModelChoice[] | null; index: number };

export type PromptMode = Extract<Mode, { kind: 'add' | 'rename' }>;

/** The inline result line: the last action's progress, outcome or error. */
export interface Notice {
  id: number;
  tone: 'pending' | 'ok' | 'error';
  text: string;
}

export interface TuiState {
  connection: Connection;
  view: StateView | null;
  /** Oldest first, unique by id. */
  events: CcbEvent[];
  pane: Pane;
  selectedId: string | null;
  eventFilter: EventFilter;
  /** Words every shown event has in its level, category or text (any case); empty shows all. */
  eventQuery: string;
  /** Lines scrolled up from the newest event; 0 follows the stream. */
  eventScroll: number;
  mode: Mode;
  notice: Notice | null;
}

export const initialTuiState: TuiState = {
  connection: { status: 'connecting' },
  view: null,
  events: [],
  pane: 'accounts',
  selectedId: null,
  eventFilter: 'all',
  eventQuery: '',
  eventScroll: 0,
  mode: { kind: 'normal' },
  notice: null,
};
