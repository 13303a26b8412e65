/**
 * What the real Codex backend refuses with a 400, as far as it is known (codex-backend-contract.md §0, §2,
 * §5, §6 and the issues cited there), so the fake backend can refuse it too and a test that sends it fails.
 * Wording follows the real answers: `{"detail":…}` for the request-level checks, OpenAI's
 * `{"error":{message,type,param,code}}` for schema and tool-choice checks.
 */

type Json = Record<string, unknown>;

export interface Refusal {
  status: number;
  body: unknown;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parameters codex never sends that the backend answers with `Unsupported parameter` (contract §5). */
const UNSUPPORTED = [
  'max_output_tokens',
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'metadata',
  'top_logprobs',
  'truncation',
  'stop',
  'previous_response_id',
];
/** Efforts the catalogue lists (contract §0); `none`/`minimal` are listed by no current model. */
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max', 'ultra']);
/** The JSON Schema formats OpenAI accepts in function parameters (anthropic.md §7 pitfalls). */
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const TOP_LEVEL_FORBIDDEN = ['oneOf', 'anyOf', 'allOf', 'enum', 'not'];

const detail = (message: string): Refusal => ({ status: 400, body: { detail: message } });
const invalid = (message: string, param: string, code: string | null = null): Refusal => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

/** The first thing the backend would refuse in one nested schema node, with its JSON path. */
function nodeProblem(node: unknown, path: string): string | null {
  if (typeof node === 'boolean') return null;
  if (!isObject(node)) return `${path}: schema must be an object or boolean`;
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  for (const t of types)
    if (typeof t !== 'string' || !TYPES.has(t)) return `${path}: invalid type ${JSON.stringify(t)}`;
  if (types.includes('array') && node.items === undefined) return `In context=${path}, array schema missing items`;
  if (typeof node.format === 'string' && !FORMATS.has(node.format))
    return `${path}: '${node.format}' is not a valid format`;
  if (typeof node.pattern === 'string' && /\\[pP]\{/.test(node.pattern))
    return `${path}: pattern uses an unsupported Unicode property escape`;
  if (typeof node.$ref === 'string') return `${path}: $ref is not supported in function parameters`;
  if (node.enum !== undefined && (!Array.isArray(node.enum) || node.enum.length === 0))
    return `${path}: enum must be a non-empty array`;
  if (node.properties !== undefined) {
    if (!isObject(node.properties)) return `${path}: properties must be an object`;
    for (const [k, v] of Object.entries(node.properties)) {
      const p = nodeProblem(v, `${path}.properties.${k}`);
      if (p) return p;
    }
  }
  if (
    node.required !== undefined &&
    !(Array.isArray(node.required) && node.required.every((r) => typeof r === 'string'))
  )
    return `${path}: required must be an array of strings`;
  if (node.items !== undefined) {
    if (Array.isArray(node.items)) return `${path}: items must be a schema, not an array`;
    const p = nodeProblem(node.items, `${path}.items`);
    if (p) return p;
  }
  if (node.additionalProperties !== undefined && typeof node.additionalProperties !== 'boolean') {
    const p = nodeProblem(node.additionalProperties, `${path}.additionalProperties`);
    if (p) return p;
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = node[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) return `${path}: ${key} must be a non-empty array`;
    for (const [i, sub] of list.entries()) {
      const p = nodeProblem(sub, `${path}.${key}.${i}`);
      if (p) return p;
    }
  }
  return null;
}

/** Why the backend would refuse these function `parameters`, or null when it accepts them. */
export function toolSchemaProblem(schema: unknown): string | null {
  if (!isObject(schema) || schema.type !== 'object' || TOP_LEVEL_FORBIDDEN.some((k) => k in schema))
    return "schema must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'not' at the top level";
  return nodeProblem(schema, '$');
}

/**
 * The tools a request declares: its `tools` field, or on responses-lite models its `additional_tools` input items,
 * namespaces opened (codex 0.169 capture, test/fixtures/codex-capture/gpt-6.1-sol.json).
 */
function declaredTools(body: Record<string, unknown>): Record<string, unknown>[] {
  const top = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const items = Array.isArray(body.input) ? body.input.filter(isObject) : [];
  const additional = items
    .filter((i) => i.type === 'additional_tools' && Array.isArray(i.tools))
    .flatMap((i) => (i.tools as unknown[]).filter(isObject));
  const opened = additional.flatMap((t) =>
    t.type === 'namespace' && Array.isArray(t.tools) ? t.tools.filter(isObject) : [t],
  );
  return [...top, ...opened];
}

/** The refusal the real backend would answer this `/responses` body with, or null when it would serve it. */
export function backendRefusal(body: unknown): Refusal | null {
  if (!isObject(body)) return detail('Bad Request');
  for (const key of UNSUPPORTED) if (key in body) return detail(`Unsupported parameter: ${key}`);
  if (body.stream !== true) return detail('Stream must be set to true');
  if (body.store !== false) return detail('Store must be set to false');
  if (!Array.isArray(body.input)) return detail('Input must be a list');

  const tools = declaredTools(body);
  const functionNames = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    if (tool.type !== 'function') continue;
    const name = tool.name;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name))
      return invalid(`Invalid 'tools[${i}].name': string does not match pattern.`, `tools[${i}].name`, 'invalid_value');
    functionNames.add(name);
    const problem = toolSchemaProblem(tool.parameters);
    if (problem)
      return invalid(
        `Invalid schema for function '${name}': ${problem}.`,
        `tools[${i}].parameters`,
        'invalid_function_parameters',
      );
  }

  const choice = body.tool_choice;
  if (isObject(choice)) {
    if (choice.type === 'function') {
      if (typeof choice.name !== 'string' || !functionNames.has(choice.name))
        return invalid(`Tool choice 'function' not found in 'tools' parameter.`, 'tool_choice', 'invalid_value');
    } else if (!tools.some((t) => t.type === choice.type)) {
      return invalid(`Tool choice '${String(choice.type)}' not found in 'tools' parameter.`, 'tool_choice', null);
    }
  } else if (choice !== undefined && choice !== 'auto' && choice !== 'none' && choice !== 'required') {
    return invalid(`Invalid value for 'tool_choice': ${JSON.stringify(choice)}.`, 'tool_choice', 'invalid_value');
  } else if (choice === 'required' && tools.length === 0) {
    return invalid(`Tool choice 'required' must be specified with 'tools' parameter.`, 'tool_choice', null);
  }

  const effort = isObject(body.reasoning) ? body.reasoning.effort : undefined;
  if (effort !== undefined && (typeof effort !== 'string' || !EFFORTS.has(effort)))
    return invalid(
      `Unsupported value: '${String(effort)}' is not supported with the '${String(body.model)}' model.`,
      'reasoning.effort',
      'unsupported_value',
    );

  for (const [i, item] of body.input.entries()) {
    if (!isObject(item) || typeof item.call_id !== 'string') continue;
    if (item.call_id.length === 0)
      return invalid(`Invalid 'input[${i}].call_id': empty string.`, `input[${i}].call_id`, 'empty_string');
    if (item.call_id.length > 64)
      return invalid(
        `Invalid 'input[${i}].call_id': string too long.`,
        `input[${i}].call_id`,
        'string_above_max_length',
      );
  }
  return null;
}

/** The keywords codex's tool-schema sanitizer keeps (contract §6; openai/codex tools/src/json_schema.rs). */
const CODEX_SUBSET = new Set([
  'type',
  'description',
  'enum',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'anyOf',
]);

/** The first keyword outside codex's subset, with its path (property maps hold names, not keywords), or null. */
export function codexSubsetProblem(node: unknown, path = '$'): string | null {
  if (!isObject(node)) return `${path}: not a schema object`;
  for (const [k, v] of Object.entries(node)) {
    if (!CODEX_SUBSET.has(k)) return `${path}.${k}: outside codex's subset`;
    const nested =
      k === 'properties' && isObject(v)
        ? Object.entries(v).map(([n, sub]) => codexSubsetProblem(sub, `${path}.properties.${n}`))
        : k === 'anyOf' && Array.isArray(v)
          ? v.map((sub, i) => codexSubsetProblem(sub, `${path}.anyOf.${i}`))
          : k === 'items' || (k === 'additionalProperties' && typeof v === 'object')
            ? [codexSubsetProblem(v, `${path}.${k}`)]
            : [];
    const found = nested.find((p) => p !== null);
    if (found) return found;
  }
  return null;
}
