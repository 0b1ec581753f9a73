import type { CommandSpec } from './types';

export const hashCommands: CommandSpec[] = [];
