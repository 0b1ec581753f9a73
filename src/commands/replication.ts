import type { CommandSpec } from './types';

export const replicationCommands: CommandSpec[] = [];
