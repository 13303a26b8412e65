import type { Argument, Command, Option } from 'commander';
import { SETTING_KEYS, describeSettingValues, type SettingKey } from '../../shared/schemas/settings.js';

/** One completion candidate; `description` is shown by zsh and fish, ignored by bash. */
export interface Candidate {
  value: string;
  description?: string;
}

/** `files: true` asks the shell for its own file-name completion instead of candidates. */
export interface Completion {
  candidates: Candidate[];
  files: boolean;
}

/** Live values the program itself cannot know; read from the state file by `__complete`. */
export interface CompletionSource {
  accounts(): Candidate[];
  /** Model slugs for an account (id or name), or for the routed account when `account` is null. */
  models(account: string | null): Candidate[];
}

/** Where the walk ended up: the (sub)command being typed and what was already given to it. */
interface WalkState {
  cmd: Command;
  /** Tracked here: commander's implicit `help` command has no `parent`. */
  parent: Command | null;
  positionals: string[];
  options: Map<string, string>;
  used: Set<Option>;
  /** The option whose value is the word being completed. */
  pendingOption: Option | null;
  afterDashDash: boolean;
}

const NONE: Completion = { candidates: [], files: false };
const FILES: Completion = { candidates: [], files: true };

/**
 * Completes the last of `words` (the words after the program name; the last one is the word
 * under the cursor, possibly empty) by walking the commander program, so every registered
 * command, alias, option and argument completes without a hand-written table. Argument and
 * option-value placeholders pick the live values: `<account>`, `[model]`, `<path>`, ….
 */
export function completeWords(root: Command, words: string[], source: CompletionSource): Completion {
  const current = words.at(-1) ?? '';
  const state = walk(root, words.slice(0, -1));
  if (state.pendingOption) return optionValue(state, state.pendingOption, source);
  if (!state.afterDashDash && current.startsWith('-')) return { candidates: optionCandidates(state), files: false };
  const subcommands = visibleSubcommands(state.cmd);
  if (subcommands.length && state.positionals.length === 0) {
    return { candidates: subcommands.map((c) => ({ value: c.name(), description: c.description() })), files: false };
  }
  const args = state.cmd.registeredArguments;
  const arg = args[state.positionals.length] ?? (args.at(-1)?.variadic ? args.at(-1) : undefined);
  return arg ? argumentValue(state, arg, source) : NONE;
}

function walk(root: Command, before: string[]): WalkState {
  const state: WalkState = {
    cmd: root,
    parent: null,
    positionals: [],
    options: new Map(),
    used: new Set(),
    pendingOption: null,
    afterDashDash: false,
  };
  for (let i = 0; i < before.length; i++) {
    const word = before[i]!;
    if (!state.afterDashDash && word === '--') {
      state.afterDashDash = true;
      continue;
    }
    if (!state.afterDashDash && word.startsWith('-') && word !== '-') {
      const [flag, inline] = splitInline(word);
      const opt = findOption(state.cmd, flag);
      if (!opt) continue;
      state.used.add(opt);
      if (!(opt.required || opt.optional) || inline !== undefined) {
        if (inline !== undefined) state.options.set(opt.attributeName(), inline);
        continue;
      }
      const next = before[i + 1];
      if (next === undefined) {
        // An optional value may also be left out; only a required one is surely what comes next.
        if (opt.required) state.pendingOption = opt;
      } else if (opt.required || !next.startsWith('-')) {
        state.options.set(opt.attributeName(), next);
        i++;
      }
      continue;
    }
    const sub = state.positionals.length === 0 ? findSubcommand(state.cmd, word) : undefined;
    if (sub) {
      state.parent = state.cmd;
      state.cmd = sub;
      state.used.clear();
      continue;
    }
    state.positionals.push(word);
  }
  return state;
}

function splitInline(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return word.startsWith('--') && eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined];
}

/** Options of the command and of its ancestors (commander accepts those after a subcommand too). */
function findOption(cmd: Command, flag: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const opt = c
      .createHelp()
      .visibleOptions(c)
      .find((o) => o.long === flag || o.short === flag);
    if (opt) return opt;
  }
  return undefined;
}

function visibleSubcommands(cmd: Command): Command[] {
  return cmd.createHelp().visibleCommands(cmd);
}

function findSubcommand(cmd: Command, word: string): Command | undefined {
  return visibleSubcommands(cmd).find((c) => c.name() === word || c.aliases().includes(word));
}

function optionCandidates(state: WalkState): Candidate[] {
  return state.cmd
    .createHelp()
    .visibleOptions(state.cmd)
    .filter((o) => o.variadic || !state.used.has(o))
    .map((o) => ({ value: o.long ?? o.short ?? o.flags, description: o.description }));
}

/** `-a, --account <account>` → `account`. */
function placeholder(opt: Option): string {
  return /[<[]([^>\]]+)[>\]]/.exec(opt.flags)?.[1]?.replace(/\.\.\.$/, '') ?? opt.attributeName();
}

function optionValue(state: WalkState, opt: Option, source: CompletionSource): Completion {
  if (opt.argChoices) return { candidates: opt.argChoices.map((value) => ({ value })), files: false };
  return valueFor(placeholder(opt), state, source);
}

function argumentValue(state: WalkState, arg: Argument, source: CompletionSource): Completion {
  if (arg.argChoices) return { candidates: arg.argChoices.map((value) => ({ value })), files: false };
  return valueFor(arg.name(), state, source);
}

/** The value an earlier positional argument (by its declared name) or option was given. */
function given(state: WalkState, name: string): string | null {
  const index = state.cmd.registeredArguments.findIndex((a) => a.name() === name);
  return (index >= 0 ? state.positionals[index] : undefined) ?? state.options.get(name) ?? null;
}

/** Placeholder names are the contract: a command that calls its argument `<account>` gets account names. */
function valueFor(name: string, state: WalkState, source: CompletionSource): Completion {
  switch (name) {
    case 'account':
      return { candidates: source.accounts(), files: false };
    case 'model':
      return { candidates: source.models(given(state, 'account')), files: false };
    case 'command':
      // `help [command]`: the parent's commands.
      return {
        candidates: visibleSubcommands(state.parent ?? state.cmd).map((c) => ({
          value: c.name(),
          description: c.description(),
        })),
        files: false,
      };
    case 'key':
      return {
        candidates: SETTING_KEYS.map((k) => ({ value: k, description: describeSettingValues(k) })),
        files: false,
      };
    case 'value':
      return settingValue(given(state, 'key'), source);
    case 'path':
    case 'file':
    case 'dir':
      return FILES;
    default:
      return NONE;
  }
}

/** `config set <key> <TAB>`: the values the key's schema accepts. */
function settingValue(key: string | null, source: CompletionSource): Completion {
  if (!key || !(SETTING_KEYS as string[]).includes(key)) return NONE;
  const k = key as SettingKey;
  if (k.endsWith('Model'))
    return {
      candidates: [...source.models(null), { value: 'null', description: "the active account's model" }],
      files: false,
    };
  if (k.endsWith('Path')) return FILES;
  const values = describeSettingValues(k)
    .split(' | ')
    .filter((v) => v !== 'string');
  return values.length ? { candidates: values.map((value) => ({ value })), files: false } : NONE;
}

/** The line marking "complete file names" in `__complete` output; no real candidate starts with ':'. */
export const FILES_DIRECTIVE = ':files';

/**
 * What `__complete` prints and the shell scripts read: one `value<TAB>description` line per
 * candidate (bash drops the description), or the single line `:files`.
 */
export function formatCompletion(completion: Completion): string {
  if (completion.files) return FILES_DIRECTIVE + '\n';
  return completion.candidates
    .filter((c) => c.value && !/\s/.test(c.value))
    .map((c) => {
      const description = c.description?.replace(/\s+/g, ' ').trim();
      return description ? `${c.value}\t${description}\n` : `${c.value}\n`;
    })
    .join('');
}
