import type { CommandSpec } from './types';

export const scriptingCommands: CommandSpec[] = [];
