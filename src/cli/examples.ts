/** The examples each command's `--help` ends with: what a user types, and what it does. */
export const EXAMPLES: Record<string, Array<[string, string]>> = {
  start: [
    ['ccbridge start', 'start the daemon in the background'],
    ['ccbridge start --foreground', 'run it in this terminal (Ctrl-C stops it)'],
  ],
  stop: [['ccbridge stop', 'stop the daemon after in-flight requests finish']],
  restart: [['ccbridge restart', 'stop and start again (after an upgrade)']],
  status: [
    ['ccbridge status', 'is it running, where, and where requests go'],
    ['ccbridge status --json | jq .state', "the daemon's whole state"],
  ],
  health: [['ccbridge health', "the bridge's /health answer"]],
  logs: [
    ['ccbridge logs -n 50', 'the last 50 lines of the daemon log'],
    ['ccbridge logs -f', 'follow it'],
  ],
  add: [['ccbridge add work && ccbridge login work', 'add an account and sign it in']],
  list: [
    ['ccbridge list', 'every account, its state and model'],
    ["ccbridge list --json | jq -r '.accounts[].name'", 'just the names'],
  ],
  rm: [['ccbridge rm old --yes', 'remove an account without asking']],
  connect: [
    ['ccbridge login work', 'sign in with the browser'],
    ['ccbridge login work --device-auth', 'sign in on a headless machine with a code'],
  ],
  logout: [['ccbridge logout work', 'sign out (the account stays)']],
  test: [
    ['ccbridge test', 'check the account requests go to, end to end'],
    ['ccbridge test --claude', 'a Claude Code round trip through the bridge'],
  ],
  limits: [
    ['ccbridge limits', 'usage per window for every account'],
    ['ccbridge limits work --refresh', 'read them through codex now'],
  ],
  usage: [['ccbridge usage', 'requests and tokens per day']],
  statusline: [['echo \'{"model":{"id":"x"}}\' | ccbridge statusline', 'one status line, as Claude Code asks for it']],
  rename: [['ccbridge rename work job', 'rename an account']],
  use: [['ccbridge use personal', 'send requests to personal']],
  default: [['ccbridge default work', 'fall back to work when nothing is active']],
  enable: [['ccbridge enable work', 'put work back into rotation']],
  disable: [['ccbridge disable work', 'take work out of rotation']],
  model: [
    ['ccbridge model work', "show work's preferred model"],
    ['ccbridge model work gpt-5.5', 'set it (checked against the model list)'],
    ['ccbridge model work default', 'clear it'],
  ],
  models: [['ccbridge models work', 'what work can use']],
  fast: [
    ['ccbridge fast on', 'fast mode for every account'],
    ['ccbridge fast off --account work', 'not for work'],
  ],
  config: [
    ['ccbridge config', 'every setting with its valid values'],
    ['ccbridge config set routing balance', 'spread sessions over accounts'],
  ],
  token: [
    ['ccbridge token', 'print the bridge token'],
    ['ccbridge token --rotate', 'make a new one (settings follow)'],
  ],
  tui: [['ccbridge tui', 'open the dashboard']],
  'apply-claude': [
    ['ccbridge apply-claude --dry-run', 'show what would change'],
    ['ccbridge apply-claude', "point Claude Code's settings at the bridge"],
    ['ccbridge apply-claude --remove', 'take it out again, your own values back'],
  ],
  env: [['eval "$(ccbridge env)"', "this shell's Claude Code uses the bridge"]],
  claude: [
    ['ccbridge claude', 'run Claude Code through the bridge once'],
    ['ccbridge claude --account work -p "hi"', 'pinned to one account'],
  ],
  completion: [['ccbridge completion bash', 'print the bash script (install lines below)']],
  service: [
    ['ccbridge service install', 'run the daemon under systemd --user'],
    ['ccbridge service status', 'is it installed and running'],
  ],
  version: [['ccbridge version', 'print the version']],
};

/** Help fits an 80-column terminal: examples whose comments would run past it put each comment above its command. */
const HELP_WIDTH = 80;

/** "Examples:" lines, commands aligned, for commander's `addHelpText('after', …)`. */
export function examplesHelp(name: string): string | null {
  const examples = EXAMPLES[name];
  if (!examples) return null;
  const width = Math.max(...examples.map(([cmd]) => cmd.length));
  const inline = examples.map(([cmd, what]) => `  ${cmd.padEnd(width)}  # ${what}`);
  const lines = inline.every((l) => l.length <= HELP_WIDTH)
    ? inline
    : examples.map(([cmd, what]) => `  # ${what}\n  ${cmd}`);
  return ['', 'Examples:', ...lines].join('\n');
}
