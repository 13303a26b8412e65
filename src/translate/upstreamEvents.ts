/**
 * The upstream SSE events the translation reads (codex.md §10). Plain types rather than zod schemas on
 * purpose: these are parsed on the hot streaming path, where per-event validation would cost more than the
 * translation itself; the translator reads every field defensively instead.
 */
export interface UpstreamUsage {
  input_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens?: number;
  output_tokens_details?: { reasoning_tokens?: number } | null;
  total_tokens?: number;
}

export interface UpstreamError {
  code?: string | null;
  type?: string | null;
  message?: string | null;
}

export interface UpstreamResponse {
  id?: string;
  status?: string;
  model?: string;
  usage?: UpstreamUsage | null;
  error?: UpstreamError | null;
  incomplete_details?: { reason?: string } | null;
}

/** A web search citation on an `output_text` part (Responses `url_citation`). */
export interface UpstreamAnnotation {
  type: string;
  url?: string;
  title?: string;
  start_index?: number;
  end_index?: number;
}

export interface UpstreamItem {
  id?: string;
  type: string;
  role?: string;
  status?: string;
  content?: { type: string; text?: string; refusal?: string; annotations?: UpstreamAnnotation[] | null }[] | null;
  summary?: { type: string; text: string }[];
  encrypted_content?: string | null;
  name?: string;
  call_id?: string;
  arguments?: string;
  action?: {
    type?: string;
    query?: string;
    queries?: string[];
    url?: string;
    /** Only with `include: ["web_search_call.action.sources"]`, which codex does not ask for. */
    sources?: { type?: string; url?: string; title?: string }[] | null;
  } | null;
}

export interface UpstreamEvent {
  type: string;
  sequence_number?: number;
  response?: UpstreamResponse;
  item?: UpstreamItem;
  item_id?: string;
  output_index?: number;
  content_index?: number;
  summary_index?: number;
  delta?: string;
  /** Top-level `error` events carry these directly. */
  code?: string | null;
  message?: string | null;
  error?: UpstreamError | null;
}

/** The error a `response.failed` or top-level `error` event carries. */
export function upstreamEventError(ev: UpstreamEvent): UpstreamError | null | undefined {
  return ev.type === 'error' ? (ev.error ?? { code: ev.code, message: ev.message }) : ev.response?.error;
}
