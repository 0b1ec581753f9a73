import type { CommandSpec } from './types';

export const serverCommands: CommandSpec[] = [];
