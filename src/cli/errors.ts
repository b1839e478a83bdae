/** The CLI's few error kinds; each maps to an exit code (DESIGN.md: 1 invalid input, 2 usage, >2 internal). */

export class InputError extends Error {
  readonly exitCode = 1;
}

export class UsageError extends Error {
  readonly exitCode = 2;
}
