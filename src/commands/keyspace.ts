import type { CommandSpec } from './types';

export const keyspaceCommands: CommandSpec[] = [];
