/**
 * Commands with their own arguments (cli/commands/<name>.ts), named by the first argument, each loaded only when
 * run. Written out, not built from the name, so that bundlers follow them (the CLI runs bundled:
 * scripts/bundle-node.mjs).
 */
import type { CliCommand } from "./io.js";

const SUBCOMMAND_MODULES = {
  match: () => import("./commands/match.js"),
  dupes: () => import("./commands/dupes.js"),
} satisfies Record<string, () => Promise<CliCommand>>;

export type SubcommandName = keyof typeof SUBCOMMAND_MODULES;

export function isSubcommand(name: string | undefined): name is SubcommandName {
  return name !== undefined && Object.hasOwn(SUBCOMMAND_MODULES, name);
}

export async function loadSubcommand(name: SubcommandName): Promise<CliCommand> {
  return SUBCOMMAND_MODULES[name]();
}
