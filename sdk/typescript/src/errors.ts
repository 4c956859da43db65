import type { CheckFailure } from "./protocol.js";

/** The protocol's error codes (docs/plugins/protocol.md). */
export const ErrorCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  protocolMismatch: -32010,
  notConfigured: -32011,
  checkFailed: 1000,
  conflict: 1001,
  notFound: 1002,
} as const;

/**
 * An error answer: throw one from a handler to answer with its code and data. Any other error a handler throws is
 * answered as `internal`. Every error answer means the call did not happen.
 */
export class PluginError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "PluginError";
  }

  /** The params are not what the method takes. */
  static invalidParams(message: string, property?: string): PluginError {
    return new PluginError(ErrorCodes.invalidParams, message, property === undefined ? undefined : { property });
  }

  /** Create or update refuses inputs. */
  static checkFailed(failures: CheckFailure[]): PluginError {
    return new PluginError(ErrorCodes.checkFailed, "the inputs are invalid", { failures });
  }

  /** Create found the object already there, but different: nothing was overwritten. */
  static conflict(message: string, id?: string): PluginError {
    return new PluginError(ErrorCodes.conflict, message, id === undefined ? undefined : { id });
  }

  /** Update found no object with the ID. */
  static notFound(message: string, id: string): PluginError {
    return new PluginError(ErrorCodes.notFound, message, { id });
  }
}
