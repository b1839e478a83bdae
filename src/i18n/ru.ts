import type { Messages } from './index.ts';
import { en } from './en.ts';

export const ru: Messages = { ...en };
