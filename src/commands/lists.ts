import type { CommandSpec } from './types';

export const listCommands: CommandSpec[] = [];
