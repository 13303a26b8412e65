import { Command } from 'commander';

export function tuiCommand(): Command {
  return new Command('tui')
    .description('live dashboard: accounts, limits and events, with keys for every action (? for help)')
    .action(async () => {
      // Ink and React load only here, so no other command pays for them.
      const { runTui } = await import('../../tui/runTui.js');
      await runTui();
    });
}
