import type { Messages } from './index.ts';
import { en } from './en.ts';

export const zhCN: Messages = { ...en };
