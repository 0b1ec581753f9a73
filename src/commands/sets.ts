import type { CommandSpec } from './types';

export const setCommands: CommandSpec[] = [];
