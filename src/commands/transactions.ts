import type { CommandSpec } from './types';

export const transactionCommands: CommandSpec[] = [];
