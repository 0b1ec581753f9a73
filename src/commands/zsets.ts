import type { CommandSpec } from './types';

export const zsetCommands: CommandSpec[] = [];
