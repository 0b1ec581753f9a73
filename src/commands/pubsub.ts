import type { CommandSpec } from './types';

export const pubsubCommands: CommandSpec[] = [];
